"""WordprocessingML names and small helpers shared by the reader and numbering."""
WNS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % WNS
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
WPS_TXBX = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}txbx"
V_TEXTBOX = "{urn:schemas-microsoft-com:vml}textbox"
VAL = W + "val"             # (the attribute most asked for, its name built once)


def attr(el, name: str) -> str | None:
    return el.get(W + name)


def wbool(el) -> bool:
    """An on/off property: present means on unless val says false/0/off."""
    val = el.get(VAL)
    return val is None or val.lower() not in ("0", "false", "off", "none")


def int_attr(el, name: str, default: int = 0, lo: int = 0, hi: int = 10_000) -> int:
    """An integer attribute, bounded; a malformed or absent one gives the default."""
    if el is None:
        return default
    val = el.get(W + name)
    try:
        return max(lo, min(hi, int(val))) if val is not None else default
    except ValueError:
        return default
