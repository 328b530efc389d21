"""Installed fonts -> the CJK font family that charts name and vl-convert renders with.

vl-convert draws text only in fonts it can find: naming a missing family renders the text as
nothing at all (no fallback, no error), and a Latin-only font gives boxes. So exports need a CJK
font that is really installed, registered with vl-convert, and named first in every chart config.
Debian's fonts-noto-cjk (Noto Sans CJK SC) is the reference; any other CJK font found by
fontconfig or in the usual font folders is accepted as a fallback.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import vl_convert
from PIL import Image

INSTALL_HINT = "install fonts-noto-cjk (sudo apt-get install fonts-noto-cjk)"
# A folder of extra font files (e.g. a Noto Sans SC from a PyPI package), searched first.
FONT_DIR_ENV = "COUNTYLENS_FONT_DIR"

# Families in order of preference: Simplified Chinese sans first, because the documents are
# mainland texts and sans reads best on slides; Traditional/Japanese cuts render mainland
# glyph shapes slightly differently, so they come last.
PREFERRED_FAMILIES = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Noto Sans SC",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "SimHei", "Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC",
    "Droid Sans Fallback", "AR PL UMing CN", "AR PL UKai CN", "SimSun",
    "Noto Sans CJK TC", "Noto Sans CJK HK", "Noto Sans CJK JP", "Noto Sans CJK KR",
)
# Without fontconfig (macOS, Windows, slim containers) files are recognised by name.
FILE_FAMILIES = (
    ("NotoSansCJK-Regular", "Noto Sans CJK SC"), ("NotoSansCJKsc-Regular", "Noto Sans CJK SC"),
    ("NotoSansCJKSC-Regular", "Noto Sans CJK SC"), ("SourceHanSansSC-Regular", "Source Han Sans SC"),
    ("SourceHanSansCN-Regular", "Source Han Sans CN"), ("NotoSansSC", "Noto Sans SC"),
    ("wqy-zenhei", "WenQuanYi Zen Hei"), ("wqy-microhei", "WenQuanYi Micro Hei"),
    ("PingFang", "PingFang SC"), ("Hiragino Sans GB", "Hiragino Sans GB"), ("msyh", "Microsoft YaHei"),
    ("simhei", "SimHei"), ("NotoSerifCJK-Regular", "Noto Serif CJK SC"),
    ("DroidSansFallback", "Droid Sans Fallback"), ("simsun", "SimSun"),
)
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")
# What a browser uses when the server's family is not on the viewer's machine (Streamlit view).
BROWSER_FALLBACKS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
                     "Microsoft YaHei", "sans-serif")


class FontNotFoundError(RuntimeError):
    """No CJK font is installed, so Chinese text would not render in exported charts."""


@dataclass(frozen=True)
class CjkFont:
    family: str
    path: Path


def known_font_dirs() -> list[Path]:
    home = Path.home()
    dirs = [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts",
            home / ".fonts"]
    if sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    if sys.platform == "win32":
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
    return dirs


def fc_list_fonts() -> list[CjkFont]:
    """Every (family, file) fontconfig knows with Chinese coverage; [] without fontconfig."""
    if shutil.which("fc-list") is None:
        return []
    try:
        out = subprocess.run(["fc-list", "-f", "%{family}\t%{file}\n", ":lang=zh"],
                             capture_output=True, text=True, timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    found = []
    for line in out.splitlines():
        families, _, file = line.partition("\t")
        # fontconfig joins a font's names with commas (localized names included).
        found += [CjkFont(name.strip(), Path(file)) for name in families.split(",") if name.strip()]
    return found


def scan_font_dirs(dirs: list[Path]) -> list[CjkFont]:
    """CJK fonts recognised by file name in `dirs` (recursively)."""
    found = []
    for root in dirs:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() not in FONT_SUFFIXES:
                continue
            for stem, family in FILE_FAMILIES:
                if path.name.lower().startswith(stem.lower()):
                    found.append(CjkFont(family, path))
                    break
    return found


def pick_font(candidates: list[CjkFont]) -> CjkFont | None:
    """The most preferred family among candidates; any CJK family beats none."""
    by_family = {}
    # A family spans several files (Regular, Bold …); name the Regular one, as users would.
    for font in sorted(candidates, key=lambda f: "regular" not in f.path.name.lower()):
        by_family.setdefault(font.family, font)
    for family in PREFERRED_FAMILIES:
        if family in by_family:
            return by_family[family]
    return candidates[0] if candidates else None


def find_cjk_font(font_dirs: list[Path] | None = None, use_fc_list: bool = True) -> CjkFont:
    """The CJK font to use: $COUNTYLENS_FONT_DIR first, then fontconfig, then known font folders.

    Raises FontNotFoundError (saying to install fonts-noto-cjk) when none is found.
    """
    extra = os.environ.get(FONT_DIR_ENV)
    searches = [lambda: scan_font_dirs([Path(extra)]) if extra else []]
    if use_fc_list:
        searches.append(fc_list_fonts)
    searches.append(lambda: scan_font_dirs(known_font_dirs() if font_dirs is None else font_dirs))
    for search in searches:
        font = pick_font(search())
        if font is not None:
            return font
    raise FontNotFoundError(
        f"No CJK font found, so Chinese text would render as blanks or boxes in exported charts: "
        f"{INSTALL_HINT}, or point ${FONT_DIR_ENV} at a folder holding e.g. NotoSansSC-Regular.otf.")


def renders_text(family: str, text: str = "中文") -> bool:
    """Whether vl-convert draws any ink for `text` in `family` (a missing family draws nothing)."""
    spec = {"data": {"values": [{"t": text}]}, "width": 60, "height": 30,
            "mark": {"type": "text", "font": family, "fontSize": 24}, "encoding": {"text": {"field": "t"}}}
    image = Image.open(io.BytesIO(vl_convert.vegalite_to_png(spec))).convert("L")
    return image.getextrema()[0] < 128


@cache
def register_cjk_font() -> CjkFont:
    """Find the CJK font, register its folder with vl-convert (once per process), check it draws."""
    font = find_cjk_font()
    vl_convert.register_font_directory(str(font.path.parent))
    if not renders_text(font.family):
        raise FontNotFoundError(f"vl-convert cannot draw with {font.family!r} from {font.path}: "
                                f"{INSTALL_HINT}.")
    return font


def font_family() -> str:
    """The registered CJK family name, e.g. 'Noto Sans CJK SC' (raises FontNotFoundError)."""
    return register_cjk_font().family


def font_stack() -> str:
    """Font list for chart configs: the installed CJK family first, then browser fallbacks.

    Never raises, so charts still build for the browser on a machine without CJK fonts;
    exporting raises instead (export.py registers the font first).
    """
    try:
        first = (font_family(),)
    except FontNotFoundError:
        first = ()
    families = dict.fromkeys(first + BROWSER_FALLBACKS)  # ordered, without duplicates
    return ", ".join(name if name == "sans-serif" else f'"{name}"' for name in families)
