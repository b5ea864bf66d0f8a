"""The indicator: the phrase of the sentence that says what a figure measures.

Counts name it after the number ("08 nhà màng trồng dưa lưới"); amounts before it, in
the subject ("tỷ lệ hộ nghèo giảm còn 1,96%"), with a comparison base when one is
stated ("… đạt 100,5% kế hoạch" → "… so với kế hoạch"); a percentage of a group names
the group after it ("95% dân số dùng nước sạch" → "tỷ lệ dân số dùng nước sạch").
A sentence remembers its last subject for the figures that follow without one.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pipeline.find import lexicon as lx
from pipeline import registry as rules
from pipeline.model import Figure

MAX_WORDS = 14
BOUNDARY = re.compile(r"[,;:()\[\]]")
TAIL_STOP = re.compile(r"[,;:.()\[\]…]|\d|(?<![^\W_])(?:với|và|trong đó|trong số|gồm|mỗi năm|hằng năm|hàng năm|"
                       r"trở lên|trở xuống|tăng|giảm|trên tổng|tại|cho|nhưng|nên|để|còn|thì|theo)(?![^\W_])",
                       re.IGNORECASE)
RATE_WORDS = re.compile(r"^(?:tỷ lệ|tỉ lệ|tỷ trọng|tốc độ|mức|chỉ số|độ|hệ số)(?![^\W_])", re.IGNORECASE)
NOUN_AFTER = re.compile(r"^\s+(?!(?:so|của|trên|trong|cùng|trở|và|với|là|đạt|được|kế hoạch|KH|mỗi|hằng|hàng|năm|"
                        r"bình quân|tăng|giảm|thì|để|nên|theo|từ|đến|tới|tại|ở|cho)(?![^\W_]))([^\W\d_]+)",
                        re.IGNORECASE)
NAMES = re.compile(r"^\s*(?:[A-ZĐ][^\W\d_]*(?:\s+|$))+(?:(?:và|,)\s+(?:[A-ZĐ][^\W\d_]*(?:\s+|$))+)*")
# The measure a unit implies when the sentence names none: "(2,5 km)" is a length.
BARE_MEASURE = re.compile(r"(?:tổng\s+)?(?:sản lượng|năng suất|diện tích|giá trị|kinh phí|số tiền|chiều dài|"
                          r"tổng số|số lượng)(?:\s+(?:bình quân|trung bình))?", re.IGNORECASE)
# The season or span a farm figure is of, named at the head of its sentence.
SEASON = re.compile(r"(?<![^\W_])(?:vụ (?:đông xuân|hè thu|thu đông|mùa|chiêm|xuân|đông)|cả năm|cả vụ)(?![^\W_])",
                    re.IGNORECASE)
TOPIC = re.compile(r"^\s*(?:riêng|đối với|về phần|với)\s+((?:cây\s+)?[^\W\d_]+(?:\s+[^\W\d_]+){0,3})\s*$", re.IGNORECASE)
RATE_PREFIX = re.compile(r"^(?:tỷ lệ|tỉ lệ)\s+", re.IGNORECASE)
UNIT_MEASURE = {"km": "chiều dài", "ha": "diện tích", "tonne": "sản lượng", "VND": "giá trị"}
SKIP_IN_TAIL = re.compile(r"(?<![^\W_])(?:đã|đều|đều đã|cũng|hiện|trong số đó|trong số này)(?![^\W_])\s*|"
                          r"(?<![^\W_])trên địa bàn (?:\w+ )?(?-i:(?:[A-ZĐ][^\W\d_]*\s*)+)", re.IGNORECASE)
GROUP_STOP = re.compile(r"[,;:.()\[\]…]|\d|(?<![^\W_])(?:và|so với|so|trên tổng|trong tổng|chiếm|là)(?![^\W_])",
                        re.IGNORECASE)
NOT_GROUP = re.compile(r"^\s*(?:so|kế hoạch|KH|dự toán|của|trên|trong|cùng|trở|tổng|chỉ tiêu|nghị quyết|mỗi|hằng|"
                       r"hàng|năm|bình quân|[^\w\s])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _spec():
    s = rules.load("indicators")
    return dict(
        measure=lx.words_anywhere(s["measures"]),
        trailing=re.compile(r"(?:^|\s+)(?:%s|(?:vào |đến |trong |tính đến |cuối |đầu )?năm (?:19|20)\d\d|[≥≤<>=])\s*$"
                            % lx.alternation(s["trailing"]), re.IGNORECASE),
        leading=re.compile(r"^(?:\W+|\(?\d{1,2}\)?[.)]\s*|(?:%s)(?![^\W_])\s*|(?:đến |vào )?năm (?:19|20)\d\d\s*)"
                           % lx.alternation(s["leading"]), re.IGNORECASE),
        bases=[re.compile(p, re.IGNORECASE) for p in s["bases"]],
    )


NAMED_RATE_END = re.compile(r"(?:tốc độ|tỷ lệ|tỉ lệ|mức) (?:tăng|giảm)(?: trưởng)?$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def clean(phrase: str) -> str:
    """Drop verbs, bounds and times from the end and fillers from the start."""
    spec = _spec()
    phrase = " ".join(phrase.split())
    for _ in range(8):
        if NAMED_RATE_END.search(phrase):      # "tốc độ tăng" names a rate: keep its verb
            new = phrase
        else:
            new = spec["trailing"].sub("", phrase).strip()
        new = spec["leading"].sub("", new).strip()
        if new == phrase:
            break
        phrase = new
    return phrase.strip(" ,;:-–")


@lru_cache(maxsize=1)
def _generic() -> re.Pattern:
    return re.compile(lx.alternation(rules.load("indicators")["generic"]), re.IGNORECASE)


def _lower_first(word: str) -> str:
    return word[:1].lower() + word[1:] if word[:1].isupper() and not word[:2].isupper() else word


def _cap(phrase: str, n: int = MAX_WORDS) -> str:
    words = phrase.split()
    return " ".join(words[:n])


class ParagraphIndicators:
    """Indicators of the figures of one paragraph, sentence by sentence, in order.

    The last subject carries over to the next sentence ("Mức năng suất này bằng 102,1%
    kế hoạch" refers to the subject before it)."""

    def __init__(self, text: str):
        self.text = text
        self.s0 = self.s1 = 0
        self.last_subject = ""
        self.prev: Figure | None = None
        self.prev_indicator = ""
        self.prev_subject = self.prev_base = ""

    def sentence(self, s0: int, s1: int, figs: list[Figure] = ()) -> "ParagraphIndicators":
        self.s0, self.s1 = s0, s1
        self.prev = None
        self.lists = self._count_lists(list(figs))
        return self

    def _count_lists(self, figs: list[Figure]) -> dict[int, tuple[str, str]]:
        """Counts listed with one verb and one tail share both: "thay đổi 01 Chủ tịch,
        01 Phó chủ tịch và 01 Ủy viên Ủy ban nhân dân xã" → (prefix, tail) by figure start."""
        out: dict[int, tuple[str, str]] = {}
        i = 0
        while i < len(figs):
            j = i
            while j + 1 < len(figs) and figs[j].unit == figs[j + 1].unit == "count" and figs[j].counted and \
                    figs[j + 1].counted and re.fullmatch(r"\s*(?:,|và|,\s*và)\s*", self.text[figs[j].end:figs[j + 1].start]):
                j += 1
            if j > i:
                prefix = self.text[self._clause_start_plain(figs[i]):figs[i].start]
                prefix = "" if re.search(r"\d", prefix) else clean(prefix)
                tail = " ".join(self._tail_words(figs[j]))
                for f in figs[i:j + 1]:
                    out[f.start] = (prefix if len(prefix.split()) <= 5 else "", tail)
            i = j + 1
        return out

    def _clause_start_plain(self, fig: Figure) -> int:
        start = self.s0
        for m in BOUNDARY.finditer(self.text, self.s0, fig.start):
            start = m.end()
        return start

    def __call__(self, fig: Figure) -> str:
        if fig.label:
            ind = fig.label
        elif fig.unit == "count" and fig.counted:
            ind = self._count(fig)
        else:
            ind = self._amount(fig)
        ind = _lower_first(ind)
        self.prev, self.prev_indicator = fig, ind
        return ind

    def _clause_start(self, fig: Figure) -> int:
        """Where the figure's clause starts; a (…) group before it does not end a clause."""
        start = self.s0
        depth_marks = []
        for m in BOUNDARY.finditer(self.text, self.s0, fig.start):
            ch = m.group(0)
            if ch == "(":
                depth_marks.append(start)
                start = m.end()
            elif ch == ")" and depth_marks:
                start = depth_marks.pop()
            else:
                start = m.end()
        if self.prev is not None and self.prev.end <= fig.start:
            start = max(start, self.prev.end)
        return start

    def _earlier_mention(self, fig: Figure, noun: str) -> str:
        """ "… bê tông hóa đường hẻm chính và phụ, mục tiêu từ 08 đến 10 đường hẻm": a range
        with nothing around it is of the noun the sentence described before."""
        local = clean(self.text[self._clause_start(fig):fig.start])
        if local or not fig.range_role:
            # only a planned range ("mục tiêu từ 08 đến 10 đường hẻm") restates an object
            # described before; a plain count ("toàn xã có 4.566/12.663 đoàn viên") is its own subject
            return ""
        found = list(re.finditer(r"(?<![^\W_])%s(?![^\W_])" % re.escape(noun), self.text[self.s0:fig.start],
                                 re.IGNORECASE))
        if not found:
            return ""
        at = self.s0 + found[-1].start()
        end = BOUNDARY.search(self.text, at, fig.start)
        phrase = self.text[at:end.start() if end else fig.start]
        if re.search(r"\d", phrase):
            return ""
        clause_start = self.s0
        for m in BOUNDARY.finditer(self.text, self.s0, at):
            clause_start = m.end()
        verb = clean(self.text[clause_start:at])
        return " ".join(x for x in (phrase.strip(), verb) if x)

    def _tail_words(self, fig: Figure) -> list[str]:
        tail = self.text[fig.end:self.s1]
        names = NAMES.match(tail)
        if names and names.end() < len(tail):
            tail = tail[names.end():]        # "hai xã Tiên Cảnh và Tiên Phong đã được …"
        tail = SKIP_IN_TAIL.sub("", tail[:90])
        stop = TAIL_STOP.search(tail)
        tail = tail[:stop.start()] if stop else tail
        return tail.split()[:10]

    def _count(self, fig: Figure) -> str:
        text = self.text
        words = self._tail_words(fig)
        raw_words = text[fig.start:fig.end].split()
        noun = fig.counted if fig.in_words or fig.range_role or fig.denominator is not None else \
            " ".join(w for w in raw_words if not re.search(r"\d", w)) or fig.counted
        noun = re.sub(r"^(?:trong tổng số|trên tổng số|đến|tới|-|–)\s*", "", noun).strip() or fig.counted
        noun = noun.split("/")[0].strip() or fig.counted
        noun = " ".join(_lower_first(w) for w in noun.split())
        in_parens = re.search(r"\(\s*$", text[max(self.s0, fig.start - 3):fig.start]) and \
            text[fig.end:fig.end + 2].lstrip().startswith(")")
        if in_parens and self.prev is not None and self.prev.unit == "%" and self.prev_indicator:
            return RATE_PREFIX.sub("", self.prev_indicator)        # "chiếm 6,25% (1 xã)"
        if in_parens and not words:
            after = text[text.find(")", fig.end) + 1:self.s1]
            after = SKIP_IN_TAIL.sub("", after[:90])
            stop = TAIL_STOP.search(after)
            words = (after[:stop.start()] if stop else after).split()[:10]
        if not words and self.prev is not None and self.prev.unit == "count" and self.prev.counted and \
                re.search(r"(?<![^\W_])với\s*$", text[self.prev.end:fig.start]):
            return f"{noun} {self.prev_indicator or self.prev.counted}"   # "01 HTX với 67 thành viên"
        if fig.start in self.lists:
            prefix, shared = self.lists[fig.start]
            return _cap(" ".join(x for x in (prefix, noun, " ".join(words) or shared) if x))
        if not words:
            earlier = self._earlier_mention(fig, noun)
            if earlier:
                return _cap(earlier)
            local = clean(text[self._clause_start(fig):fig.start])
            if local and len(local.split()) <= 8:
                # "đào tạo sơ cấp 14 đồng chí": a generic noun adds nothing to the activity;
                # "số hộ nghèo giảm còn 16 hộ": the noun is already there
                named = _generic().fullmatch(noun) or re.search(r"(?<![^\W_])%s(?![^\W_])" % re.escape(noun),
                                                                  local, re.IGNORECASE)
                return _cap(re.sub(r"^số\s+", "", local if named else f"{local} {noun}"))
        return _cap(" ".join([noun] + words))

    def _base(self, fig: Figure, clause_start: int) -> tuple[str, tuple[int, int] | None]:
        text = self.text
        after = text[fig.end:min(self.s1, fig.end + 80)]
        for pattern in _spec()["bases"]:
            m = pattern.match(after.lstrip())
            if m and len(after) - len(after.lstrip()) <= 2:
                base = m.group(0).strip()
                return (base if base.lower().startswith("so") else f"so với {base}"), None
        for pattern in _spec()["bases"][:1]:
            found = list(pattern.finditer(text, clause_start, fig.start))
            if found:
                m = found[-1]
                base = re.sub(r"\s+(?:thì|là|đạt|bằng|tăng|giảm|cũng|đều|cao hơn|thấp hơn|ước)(?![^\W_]).*$", "",
                              m.group(0).strip())
                return base, (m.start(), m.end())
        return "", None

    def _amount(self, fig: Figure) -> str:
        text = self.text
        start = self._clause_start(fig)
        between = text[self.prev.end:fig.start] if self.prev is not None else "x"
        if re.fullmatch(r"\s*\(\s*(?:bằng|tương đương|tương ứng|hay|khoảng)?\s*", between) or \
                re.fullmatch(r"\s*,?\s*(?:tương đương|tương ứng|hay)\s*", between):
            if self.prev.unit == "count":   # "số hộ nghèo giảm còn 16 hộ, tương ứng 0,61%"
                return self._finish(fig, re.sub(r"^số\s+", "", self.prev_indicator), "")
            return self._finish(fig, self.prev_subject, self.prev_base)   # "giảm 1.686ha (bằng 2,24%)"
        start = self._extend_over_commas(start, fig)
        base, span = self._base(fig, start)
        local_text = text[start:fig.start]
        if span:
            local_text = text[start:span[0]] + " " + text[span[1]:fig.start]
        local = clean(local_text)
        m = _spec()["measure"].search(local)
        head = self._list_head(fig)
        noun_after = None if (base and span is None) else NOUN_AFTER.match(text[fig.end:self.s1])
        if re.search(r"(?<![^\W_])(?:này|đó|trên)$", local) and self.last_subject:
            subject = self.last_subject                       # "Mức năng suất này bằng …"
        elif m:
            subject = clean(local[m.start():])
            before_measure = clean(re.sub(r"(?<![^\W_])(?:với|có|cho|của)\s*$", "", local[:m.start()]))
            after_count = self.prev is not None and self.prev.unit == "count" and start <= self.prev.end
            if BARE_MEASURE.fullmatch(subject) and after_count and self.prev_indicator:
                subject = f"{subject} {self.prev_indicator}"    # "08 đoạn đường … với chiều dài 1,5 km"
            elif len(subject.split()) <= 3 and noun_after and not RATE_WORDS.match(subject):
                subject = f"{subject} {self._group(fig)}"    # "diện tích 28,3 hecta trồng lúa nếp …"
            elif BARE_MEASURE.fullmatch(subject) and before_measure:
                subject = f"{subject} {before_measure}"      # "đường … bê tông hóa với tổng chiều dài 1.100m"
        elif head:
            subject = clean(f"{head} {local}")   # "Tỷ lệ học sinh đi học: Mẫu giáo 5 tuổi đạt 100%"
        elif fig.unit == "%" and noun_after:
            subject = f"tỷ lệ {self._group(fig)}"   # "95% dân số dùng nước sạch"
        elif fig.unit in UNIT_MEASURE and noun_after and fig.unit != "VND":
            group = self._group(fig)
            has_measure = _spec()["measure"].match(group)
            subject = group if has_measure else f"{UNIT_MEASURE[fig.unit]} {group}"   # "905.867 tấn lương thực có hạt"
        elif self.prev is not None and self.prev.unit == "count" and fig.unit in UNIT_MEASURE and \
                re.fullmatch(r"\s*\(\s*", text[self.prev.end:fig.start]):
            subject = f"{UNIT_MEASURE[fig.unit]} {self.prev_indicator}"   # "10 đường hẻm (2,5 km)"
        elif local:
            subject = local
        elif noun_after:
            subject = self._group(fig)                  # "và 9,1 tỷ đồng do nhân dân đóng góp"
        elif self.prev is not None and self.prev.unit != "count" and self.last_subject:
            subject = self.last_subject              # "thóc đạt 888.132 tấn, giảm 0,34%"
        elif self.prev is not None and self.prev.unit == "count" and self.prev_indicator and \
                not self._recent_subject(fig, since=self.prev.end):
            subject = self.prev_indicator            # "20/20 xã … về đích nông thôn mới (đạt 100%)"
        elif self._recent_subject(fig) or self.last_subject:
            subject = self._recent_subject(fig) or self.last_subject
        elif self.prev is not None and self.prev.unit == "count" and self.prev_indicator:
            subject = self.prev_indicator        # "4.566/12.663 đoàn viên, hội viên, chiếm 35,99%"
        else:
            subject = ""
        if RATE_WORDS.fullmatch(subject or "x") and self.prev is not None and self.prev.unit == "count":
            subject = f"{subject} {self.prev_indicator}"      # "14/14 xã đạt chuẩn … (tỷ lệ 100%)"
        subject = _lower_first(subject)
        if subject and not _spec()["measure"].search(subject) and fig.unit in UNIT_MEASURE and fig.unit != "VND":
            subject = f"{UNIT_MEASURE[fig.unit]} {subject}"     # "ngô đạt 17.724 tấn" → sản lượng ngô
        if BARE_MEASURE.fullmatch(subject) and self.prev is not None and self.prev.unit == "count" \
                and self.prev_indicator:
            subject = f"{subject} {self.prev_indicator}"    # "14 tuyến phố với tổng giá trị 482 triệu đồng"
        elif BARE_MEASURE.fullmatch(subject) and self.last_subject:
            # "…16.745ha cây lương thực có hạt, tổng sản lượng đạt 101.600 tấn": of the same thing
            rest = self.last_subject
            while True:                 # drop every measure word in front: "diện tích gieo trồng …"
                m = BARE_MEASURE.match(rest) or _spec()["measure"].match(rest)
                if not m or not m.end():
                    break
                rest = rest[m.end():].strip()
            if rest:
                subject = f"{subject} {rest}"
        topic = self._topic(fig)
        if topic and subject and topic.lower() not in subject.lower():
            subject = f"{subject} {topic}"        # "Cả năm, tổng diện tích lúa …", "Riêng cây lúa, …"
        self.last_subject = subject
        return self._finish(fig, subject, base)

    def _extend_over_commas(self, start: int, fig: Figure) -> int:
        """Reach back over commas inside a noun phrase: "Nông, lâm, thủy sản tăng 6%",
        "mức độ hài lòng của người dân khi đến quan hệ, giao dịch đạt trên 99%"."""
        measure = _spec()["measure"]
        for _ in range(3):
            if measure.search(self.text[start:fig.start]) or start <= self.s0 or self.text[start - 1] != ",":
                return start
            prev_start = self.s0
            for m in BOUNDARY.finditer(self.text, self.s0, start - 1):
                prev_start = m.end()
            segment = self.text[prev_start:start - 1]
            if re.search(r"\d", segment):
                return start
            if not (measure.search(segment) or len(segment.split()) <= 2):
                return start
            if self.prev is not None and prev_start < self.prev.end:
                return start
            start = prev_start
        return start

    def _finish(self, fig: Figure, subject: str, base: str) -> str:
        self.prev_subject, self.prev_base = subject, base
        clause = self.text[self._clause_start(fig):fig.start]
        if fig.unit == "%" and subject and not RATE_WORDS.match(subject) and \
                re.search(r"(?<![^\W_])(?:tăng|giảm)(?![^\W_])", clause):
            verb = "giảm" if re.search(r"giảm", clause) else "tăng"
            subject = f"tỷ lệ {verb} {subject}"                # "dịch vụ tăng 18,2%"
        elif fig.unit == "%" and subject and not RATE_WORDS.match(subject) and not base:
            subject = f"tỷ lệ {subject}"
        return _cap(f"{subject} {base}".strip())

    def _topic(self, fig: Figure) -> str:
        """A framing lead: a season ("Trong vụ mùa năm 2019, …", "Cả năm, …") or a topic
        ("Riêng cây lúa, …", "Đối với lúa xuân, …"). A clause after ";" may open its own;
        a season of the sentence still frames it, a topic does not."""
        clause = max(self.s0, self.text.rfind(";", self.s0, fig.start) + 1)
        for start in dict.fromkeys((clause, self.s0)):
            lead_end = BOUNDARY.search(self.text, start, fig.start)
            if not lead_end or len(self.text[start:lead_end.start()].split()) > 6:
                continue
            lead = self.text[start:lead_end.start()]
            season = SEASON.search(lead)
            if season:
                return season.group(0).lower()
            m = TOPIC.match(lead)
            if m and start == clause:
                return clean(m.group(1)).lower()
        return ""

    def _group(self, fig: Figure) -> str:
        """The noun phrase after a figure, parenthesised asides left out."""
        group = re.sub(r"\([^()]*\)", " ", self.text[fig.end:self.s1])
        stop = GROUP_STOP.search(group)
        return clean(re.sub(r"^\s*(?:số\s+)?", "", group[:stop.start()] if stop else group))

    def _list_head(self, fig: Figure) -> str:
        """The measure named before a colon that opens a list: "Tỷ lệ …: A đạt x; B đạt y"."""
        colon = self.text.rfind(":", self.s0, fig.start)
        if colon < 0:
            return ""
        head_start = max(self.s0, self.text.rfind(";", self.s0, colon) + 1)
        head_text = re.sub(r"^\s*\(?\d{1,2}\)?[.)]", "", self.text[head_start:colon])
        if re.search(r"\d", re.sub(r"(?<!\d)(?:19|20)\d\d(?!\d)", "", head_text)):
            return ""
        head = clean(self.text[head_start:colon])
        m = _spec()["measure"].search(head)
        return clean(head[m.start():]) if m and m.start() < 12 else ""

    def _recent_subject(self, fig: Figure, since: int | None = None) -> str:
        """The last measure phrase of the sentence before the figure (after `since`)."""
        before = self.text[since if since is not None else self.s0:fig.start]
        found = list(_spec()["measure"].finditer(before))
        for m in reversed(found):
            at = m.start()
            total = re.search(r"(?<![^\W_])tổng\s+$", before[:at])
            phrase = before[total.start() if total else at:]
            stop = re.search(r"[,;:]|\d", phrase)
            phrase = clean(phrase[:stop.start()] if stop else phrase)
            if len(phrase.split()) >= 2:
                return phrase
        return ""
