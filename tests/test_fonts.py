"""CJK font discovery and registration with vl-convert."""
from __future__ import annotations

from pathlib import Path

import pytest

from analytics.export import fonts


def test_finds_and_registers_a_cjk_font():
    font = fonts.register_cjk_font()
    assert font.path.exists()
    assert fonts.font_family() == font.family
    assert fonts.renders_text(font.family, "沁源县")


def test_prefers_noto_sans_cjk_sc_when_installed():
    # fonts-noto-cjk is part of the project's set-up, so it should be what we use.
    if not Path("/usr/share/fonts/opentype/noto").is_dir():
        pytest.skip("fonts-noto-cjk not installed here")
    assert fonts.font_family() == "Noto Sans CJK SC"


def test_font_stack_names_the_family_first():
    stack = fonts.font_stack()
    assert stack.startswith(f'"{fonts.font_family()}"')
    assert stack.endswith("sans-serif")


def test_missing_family_draws_nothing():
    # Why export registers and checks the font: vl-convert gives no error, just blank text.
    assert not fonts.renders_text("No Such Font 404")


def test_clear_error_when_no_cjk_font(tmp_path, monkeypatch):
    monkeypatch.delenv(fonts.FONT_DIR_ENV, raising=False)
    with pytest.raises(fonts.FontNotFoundError, match="fonts-noto-cjk"):
        fonts.find_cjk_font(font_dirs=[tmp_path], use_fc_list=False)


def test_font_dir_env_and_file_names(tmp_path, monkeypatch):
    (tmp_path / "NotoSansSC-Regular.otf").write_bytes(b"")
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")
    monkeypatch.setenv(fonts.FONT_DIR_ENV, str(tmp_path))
    font = fonts.find_cjk_font(font_dirs=[], use_fc_list=False)
    assert (font.family, font.path.name) == ("Noto Sans SC", "NotoSansSC-Regular.otf")


def test_pick_font_order():
    candidates = [fonts.CjkFont("Noto Sans CJK JP", Path("a.ttc")),
                  fonts.CjkFont("WenQuanYi Zen Hei", Path("wqy-zenhei.ttc")),
                  fonts.CjkFont("Noto Sans CJK SC", Path("NotoSansCJK-Bold.ttc")),
                  fonts.CjkFont("Noto Sans CJK SC", Path("NotoSansCJK-Regular.ttc"))]
    assert fonts.pick_font(candidates).path.name == "NotoSansCJK-Regular.ttc"
    assert fonts.pick_font([fonts.CjkFont("Some CJK", Path("x.ttf"))]).family == "Some CJK"
    assert fonts.pick_font([]) is None
