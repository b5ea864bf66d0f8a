"""The data types that flow through the stages, and nothing else.

Every stage imports from here; this module imports no stage. A `Document` is the one
object that flows: reading gives it blocks, segmenting its sections, finding and
linking its figures, excluded numbers and rows. Audit, report, show and annotate read
it; they never re-run a stage.
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields


def stored_init(cls):
    """Give a frozen dataclass an __init__ that writes the fields straight into the
    instance's dict: the generated one calls object.__setattr__ once per field (costly
    through its slot wrapper), and every block, figure, excluded number and row is made
    anew per document (a Row has 23 fields). Same parameters, defaults and field order;
    assigning to a field still raises FrozenInstanceError."""
    fs = fields(cls)
    assert all(f.init and f.default_factory is MISSING for f in fs) and not hasattr(cls, "__post_init__")
    params = ", ".join(f.name if f.default is MISSING else f"{f.name}=_default_{f.name}" for f in fs)
    body = "".join(f"    _values[{f.name!r}] = {f.name}\n" for f in fs)
    space = {f"_default_{f.name}": f.default for f in fs}
    exec(f"def __init__(self, {params}):\n    _values = self.__dict__\n{body}", space)
    init = space["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init
    return cls


@stored_init
@dataclass(frozen=True)
class Block:
    """A paragraph or a table cell, in reading order; offsets of figures point into text."""
    index: int
    text: str
    kind: str = "paragraph"          # paragraph | cell
    table: int | None = None
    row: int | None = None
    col: int | None = None
    col_span: int = 1                # grid columns a merged cell covers
    style: str = ""
    bold: bool = False               # every visible character is bold
    label: str = ""                  # rendered automatic-numbering label, e.g. "II." or "1.2."
    label_format: str = ""           # its numFmt: decimal, upperRoman, bullet …
    outline_level: int | None = None  # 1-based, from a Heading/Title style or w:outlineLvl
    centered: bool = False


class Blocks(list):
    """The blocks a reader gives, in reading order, with its warnings: what the file holds
    that was not read (e.g. an embedded chunk in a format chiso cannot read)."""

    def __init__(self, blocks=(), warnings=None):
        super().__init__(blocks)
        self.warnings: list[str] = list(warnings or [])


@stored_init
@dataclass(frozen=True)
class Section:
    path: tuple[str, ...]
    title: str
    block: int
    text: str
    kind: str                      # the heading type: part, roman, decimal, style …
    blocks: tuple[int, ...] = ()   # the heading's own blocks (a Phần title may span several)

    @property
    def section_path(self) -> str:
        return " > ".join(self.path)

    @property
    def level(self) -> int:
        return len(self.path)


@dataclass
class Segmentation:
    sections: list[Section]
    block_section: list[int | None]          # for each block, its section's index
    heading_blocks: set[int] = field(default_factory=set)

    def section_of(self, block: int) -> Section | None:
        i = self.block_section[block]
        return None if i is None else self.sections[i]


@stored_init
@dataclass(frozen=True)
class Figure:
    """A number the finder read as a figure, before linking."""
    start: int                 # raw span in the block text
    end: int
    num_start: int             # the number itself (for a range: the end it stands for)
    num_end: int
    value: float
    unit: str
    counted: str = ""
    denominator: float | None = None
    per: str = ""
    range_role: str = ""       # "" | "low" | "high"
    label: str = ""            # "Hội viên PN: 1.783" → "Hội viên PN"
    after_qualifier: str = ""  # from "trở lên" / "trở xuống" after the raw
    in_words: bool = False


@stored_init
@dataclass(frozen=True)
class Excluded:
    """A number that is no row, with the reason (date, year, document number …)."""
    start: int
    end: int
    reason: str


@stored_init
@dataclass(frozen=True)
class Row:
    """One row of the indicator table: the contract's columns, in order, then ours."""
    doc_id: str
    section_path: str
    section_title: str
    block: int
    start: int
    end: int
    sentence: str
    raw: str
    indicator: str
    value: float
    unit: str
    counted: str
    denominator: float | None
    qualifier: str
    change: str
    kind: str
    period: str
    per: str
    source_path: str = ""        # provenance, beside block/start/end: the file as given
    source_sha256: str = ""
    code: str = ""               # canonical indicator code (shared/spec/indicator-codes.md); "" when none applies
    direction: str = ""          # the code's direction: up, down, none; "" without a code
    basis: str = ""              # where inferred fields came from: "period=heading;kind=title"


CONTRACT_COLUMNS = ["doc_id", "section_path", "section_title", "block", "start", "end", "sentence", "raw",
                    "indicator", "value", "unit", "counted", "denominator", "qualifier", "change", "kind",
                    "period", "per"]
ROW_COLUMNS = list(Row.__dataclass_fields__)


@dataclass
class Sentence:
    """A sentence of a paragraph block with what the finder found in it."""
    block: int
    start: int
    end: int
    figures: list[Figure]
    excluded: list[Excluded]


@dataclass
class Document:
    """One report as it flows through the stages; each stage fills its part."""
    doc_id: str
    path: str = ""                                   # as given
    sha256: str = ""
    blocks: list[Block] = field(default_factory=list)                  # read
    segmentation: Segmentation | None = None                           # segment
    sentences: list[Sentence] = field(default_factory=list)            # find
    excluded: dict[int, list[Excluded]] = field(default_factory=dict)  # find: by block
    rows: list[Row] = field(default_factory=list)                      # link + tables
    warnings: list[str] = field(default_factory=list)  # read: one line each, for errors.csv (file still read)
