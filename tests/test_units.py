"""Units and passages: who each stretch of a document speaks for."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.pipeline.gazetteer import load_gazetteer
from analytics.pipeline.text import UNRECOVERABLE
from analytics.pipeline.units import HOST_INFERRED, UNKNOWN, find_mentions, find_units
from analytics.registry import TABLES
from tests.conftest import seed_text


@pytest.fixture(scope="module")
def gz() -> pd.DataFrame:
    return load_gazetteer()


def run(gz, *texts: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(len(texts))], "clean_text": list(texts)})
    return find_units(docs, gz)


def assert_partition(text: str, passages: pd.DataFrame) -> None:
    """Passages are clean_text slices, in order, never overlapping, covering every non-space character."""
    covered = [0] * len(text)
    last_end = 0
    for p in passages.sort_values("start").itertuples():
        assert p.text == text[p.start:p.end]
        assert p.start >= last_end
        last_end = p.end
        for i in range(p.start, p.end):
            covered[i] += 1
    assert all(c == 1 for c, ch in zip(covered, text) if not ch.isspace())


# ---------------------------------------------------------------- small fixtures

def test_schema_columns(gz):
    units, passages = run(gz, "岚县位于吕梁市。")
    assert list(units.columns) == TABLES["units"]
    assert list(passages.columns) == TABLES["passages"]


def test_mentions_longest_first(gz):
    m = find_mentions("岢岚县和岚县都在忻州、吕梁。", gz)
    assert m["name"].tolist()[:2] == ["岢岚县", "岚县"]
    assert m["start"].tolist()[:2] == [0, 4]


def test_short_name_needs_support(gz):
    # 青山 in 绿水青山 is no 青山区 when nothing names its city or province
    assert "青山区" not in set(find_mentions("践行绿水青山就是金山银山理念。", gz)["name"])
    # 富县 in 产业富县 is no county either; 岚县 with its prefecture named is
    assert "富县" not in set(find_mentions("实施生态立县、产业富县战略。", gz)["name"])
    assert "岚县" in set(find_mentions("岚县位于吕梁。", gz)["name"])


def test_zone_mentions(gz):
    m = find_mentions("盐湖高新技术产业开发区和山西转型综改示范区、定襄经开区。", gz).set_index("name")
    assert m.loc["盐湖高新区", "kind"] == "zone" and m.loc["盐湖高新区", "adcode"] == "140802"
    assert m.loc["山西综改示范区", "adcode"] == "140000"
    assert m.loc["定襄经开区", "adcode"] == "140921"


def test_single_county_document(gz):
    text = "关于岚县发展的思考\n岚县位于吕梁山北端，全县总人口18.7万人。岚县县委提出建设美丽幸福岚县。\n太原、忻州都很近。"
    units, passages = run(gz, text)
    assert units["unit"].tolist() == ["岚县"]
    u = units.iloc[0]
    assert (u["kind"], u["adcode"], u["province"], u["prefecture"]) == ("county", "141127", "山西省", "吕梁市")
    assert len(passages) == 1 and passages["speaker"].tolist() == [""]
    assert_partition(text, passages)


def test_title_names_the_subject(gz):
    # the city it courts is named more often, the title names the county that writes
    text = "关于柞水县融入西安的思考\n" + "跟进西安、服务西安、融入西安。" * 4 + "柞水县城全貌。"
    units, _ = run(gz, text)
    assert units["unit"].tolist() == ["柞水县"]


def test_unknown_document_is_kept(gz):
    units, passages = run(gz, "今天天气很好。\n我们去公园。", "")
    assert units["unit"].tolist() == [UNKNOWN]
    assert units.iloc[0]["kind"] == "unknown" and units.iloc[0]["n_passages"] == 2
    assert passages["doc_id"].tolist() == ["d0", "d1"]
    assert passages.iloc[1][["start", "end", "text"]].tolist() == [0, 0, ""]


HEADER_DOC = (
    "我市组团赴西安学习考察\n"
    "8月8日，我市在西安召开座谈会。\n"
    "永济市委书记 何伟\n"
    "我们将建设幸福永济。\n二要对标先进。\n"
    "临猗县委书记靳国全\n"
    "临猗县将借鉴经验。\n"
    "风陵渡经济开发区党工委书记、管委会主任姚康宁\n"
    "风陵渡经济开发区将加快建设。\n"
    "市文化和旅游局党组书记、局长陈小光\n"
    "构建运城全域旅游发展格局。"
)


def test_header_speakers(gz):
    units, passages = run(gz, HEADER_DOC)
    assert set(units["unit"]) == {"运城市", "永济市", "临猗县", "风陵渡经开区"}
    by_speaker = dict(zip(passages["speaker"], passages["unit"]))
    assert by_speaker["永济市委书记 何伟"] == "永济市"
    assert by_speaker["市文化和旅游局党组书记、局长陈小光"] == "运城市"
    assert passages.iloc[0]["unit"] == "运城市" and passages.iloc[0]["speaker"] == ""
    # a speech runs over several paragraphs, until the next speaker
    assert "二要对标先进" in passages.set_index("unit").loc["永济市", "text"]
    zone = units.set_index("unit").loc["风陵渡经开区"]
    assert (zone["kind"], zone["host"], zone["adcode"]) == ("zone", "运城市", "140800")
    assert HOST_INFERRED in zone["aliases"].split("|") and "风陵渡经济开发区" in zone["aliases"]
    assert_partition(HEADER_DOC, passages)


INLINE_DOC = (
    "我省广大党员干部认真学习会议精神，全省开发区稳步发展。\n"
    "太原市发改委主任何爱萍表示，要高标准规划产业布局。\n"
    "抢抓机遇、只争朝夕\n"
    "今年以来，长治经开区引进项目56个。区党工委书记、管委会主任李文斌表示：园区将主动出击。"
    "晋城经开区党工委副书记史小林信心满满地说：“园区将奋勇争先。”\n"
    "我省在中部地区争先崛起。"
)


def test_inline_speakers(gz):
    units, passages = run(gz, INLINE_DOC)
    assert set(units["unit"]) == {"山西省", "太原市", "长治经开区", "晋城经开区"}
    seq = passages["unit"].tolist()
    assert seq == ["山西省", "太原市", "山西省", "长治经开区", "晋城经开区", "山西省"]
    # the bare 区 of 区党工委书记 is the zone just named in the paragraph, whose sentence opens the passage
    changzhi = passages.set_index("unit").loc["长治经开区", "text"]
    assert changzhi.startswith("今年以来，长治经开区")
    assert passages.set_index("unit").loc["晋城经开区", "speaker"] == "晋城经开区党工委副书记史小林"
    assert units.set_index("unit").loc["长治经开区", "host"] == "长治市"
    assert_partition(INLINE_DOC, passages)


def test_units_summed_over_documents(gz):
    units, passages = run(gz, "岚县县城在吕梁。", "岚县位于吕梁。")
    u = units.set_index("unit").loc["岚县"]
    assert u["n_passages"] == 2 and u["n_chars"] == len("岚县县城在吕梁。") + len("岚县位于吕梁。")
    assert passages["passage_id"].is_unique


PIECES = ["岚县", "太原市", "长治经开区", "市委书记李卫平表示，", "区党工委书记张三说：", "我市", "我省",
          "永济市委书记 何伟", "风陵渡经济开发区", "。", "，", "\n", " ", "发展", "园区"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_passages_partition_any_text(pieces):
    text = "".join(pieces)
    units, passages = run(load_gazetteer(), text)
    assert_partition(text, passages)
    assert set(passages["unit"]) <= set(units["unit"])
    assert units["unit"].is_unique


# ---------------------------------------------------------------- places in damaged titles (U+FFFD)

LOST = UNRECOVERABLE
PROVINCE_LEAD = "我省广大干部学习会议精神，全省开发区稳步发展。\n"


def speaker_units(gz, text: str) -> tuple[dict[str, str], pd.DataFrame]:
    units, passages = run(gz, text)
    assert_partition(text, passages)
    return dict(zip(passages["speaker"], passages["unit"])), units.set_index("unit")


def test_damaged_name_single_fit(gz):
    # 大�县 in 山西: only 大宁县 reads 大 + one lost character + 县
    by_speaker, units = speaker_units(gz, PROVINCE_LEAD + "太原市提升。\n" + f"大{LOST}县委书记张三表示，要加快发展。")
    assert by_speaker[f"大{LOST}县委书记张三"] == "大宁县"
    assert units.loc["大宁县", "aliases"].split("|") == ["大宁县", "大宁", f"大{LOST}县"]


def test_damaged_name_restricted_to_context_province(gz):
    # the same damaged title in a 陕西 document is 大荔县
    by_speaker, _ = speaker_units(gz, PROVINCE_LEAD + "西安市提升。\n" + f"大{LOST}县委书记张三表示，要加快发展。")
    assert by_speaker[f"大{LOST}县委书记张三"] == "大荔县"


def test_damaged_name_restricted_to_context_prefecture(gz):
    # 平�县 fits 平定、平顺、平遥、平陆 in 山西; a document all about 运城 places means 平陆县
    text = "我市组团考察，永济市、临猗县参加。\n" + f"平{LOST}县委书记张三表示，要加快发展。"
    by_speaker, units = speaker_units(gz, text)
    assert by_speaker[f"平{LOST}县委书记张三"] == "平陆县"
    assert f"平{LOST}县" in units.loc["平陆县", "aliases"].split("|")


@pytest.mark.parametrize("text", [
    # 晋中市 and 晋城市 both read 晋 + one lost character + 市
    PROVINCE_LEAD + "太原市、长治市提升。\n" + f"晋{LOST}市委书记张三表示，要加快发展。",
    # 平定县、平顺县、平遥县、平陆县 in a document about the province
    PROVINCE_LEAD + "太原市、长治市提升。\n" + f"平{LOST}县委书记张三表示，要加快发展。",
    # 大同市 and 大宁县 both read 大 + two lost characters, and nothing tells them apart
    PROVINCE_LEAD + "太原市提升。\n“新思路。”" + f"大{LOST}发改委党组书记、主任王宏栓表示，要科学谋划。",
    # a parallel office of another name (统计局) is no evidence
    PROVINCE_LEAD + "太原市发改委主任何爱萍表示，要规划。\n“新思路。”" + f"大{LOST}统计局局长王宏栓表示，要谋划。",
    # no context area: no guess over the whole country
    "今天天气很好。\n" + f"大{LOST}县委书记张三表示，要加快发展。",
    # only the suffix survives: no evidence of the name
    PROVINCE_LEAD + "太原市提升。\n" + f"{LOST}县委书记张三表示，要加快发展。",
])
def test_damaged_name_ambiguous_is_not_resolved(gz, text):
    units, passages = run(gz, text)
    assert_partition(text, passages)
    assert not any(LOST in a for a in units["aliases"])
    assert not any(LOST in s for s in passages["speaker"])


def test_damaged_name_parallel_office(gz):
    # 大� fits 大同市 and 大宁县; 太原市发改委 shows the 发改委 heads quoted here are prefecture ones
    text = (PROVINCE_LEAD + "太原市发改委主任何爱萍表示，要高标准规划产业布局。\n"
            "在晋北建设城镇圈。“新思路。”" f"大{LOST}发改委党组书记、主任王宏栓表示，要科学谋划。")
    by_speaker, units = speaker_units(gz, text)
    assert by_speaker[f"大{LOST}发改委党组书记、主任王宏栓"] == "大同市"
    assert units.loc["大同市", "aliases"].split("|") == ["大同市", "大同", f"大{LOST}"]
    assert units.loc["大同市", "kind"] == "prefecture"


def test_damaged_name_named_elsewhere(gz):
    # of 大同市 and 大宁县, the document names 大宁县 in full
    text = PROVINCE_LEAD + "太原市、大宁县提升。\n" + f"大{LOST}发改委党组书记王宏栓表示，要科学谋划。"
    by_speaker, _ = speaker_units(gz, text)
    assert by_speaker[f"大{LOST}发改委党组书记王宏栓"] == "大宁县"


def test_damaged_name_fewest_lost_characters(gz):
    # 忻�市 reads 忻州市 with one lost character, or 忻府区 with two (市 then the office's): one wins
    text = PROVINCE_LEAD + "太原市提升。\n" + f"忻{LOST}市委书记张三表示，要加快发展。"
    by_speaker, _ = speaker_units(gz, text)
    assert by_speaker[f"忻{LOST}市委书记张三"] == "忻州市"


# ---------------------------------------------------------------- golden: the seeds

@pytest.fixture(scope="module")
def seeds(gz):
    clean = pytest.importorskip("analytics.pipeline.clean")
    texts = {p: clean.clean_document(seed_text(p)).text for p in ["000", "001", "002", "003", "004"]}
    docs = pd.DataFrame({"doc_id": list(texts), "clean_text": list(texts.values())})
    units, passages = find_units(docs, gz)
    return texts, units, passages


@pytest.mark.parametrize("doc,unit,province,prefecture", [
    ("000", "沁源县", "山西省", "长治市"),
    ("002", "岚县", "山西省", "吕梁市"),
    ("004", "柞水县", "陕西省", "商洛市"),
])
def test_seed_single_county(seeds, doc, unit, province, prefecture):
    _, units, passages = seeds
    assert set(passages.loc[passages["doc_id"] == doc, "unit"]) == {unit}
    u = units.set_index("unit").loc[unit]
    assert (u["kind"], u["province"], u["prefecture"]) == ("county", province, prefecture)


def test_seed_001_roundtable(seeds):
    _, units, passages = seeds
    got = set(passages.loc[passages["doc_id"] == "001", "unit"])
    assert got == {"永济市", "临猗县", "稷山县", "盐湖高新区", "风陵渡经开区", "运城市"}
    p = passages[passages["doc_id"] == "001"]
    bureaus = p[p["speaker"].str.startswith("市")]
    assert len(bureaus) == 3 and set(bureaus["unit"]) == {"运城市"}
    u = units.set_index("unit")
    assert u.loc["盐湖高新区", "host"] == "盐湖区" and u.loc["风陵渡经开区", "host"] == "运城市"


def test_seed_003_officials(seeds):
    texts, units, passages = seeds
    got = set(passages.loc[passages["doc_id"] == "003", "unit"])
    expected = {"山西省", "太原市", "阳曲现代农业产业示范区", "定襄经开区", "山西综改示范区", "长治经开区",
                "晋城经开区", "古交市", "运城经开区", "大同市"}
    assert got == expected
    # 大同市 is read through the damaged run (大�发改委) when cleaning could not recover it
    p = passages[passages["doc_id"] == "003"].set_index("unit")
    datong = p.loc["大同市"]
    assert datong["speaker"].endswith("发改委党组书记、主任王宏栓")
    assert datong["text"].startswith("在晋北、晋南、晋东南建设高质量城镇圈")
    assert "王宏栓表示" in datong["text"] and datong["text"].endswith("努力开创高质量发展新局面。")
    assert p.loc["运城经开区", "text"].startswith("运城经开区招商办主任张亚锋说")
    if "大同市发改委" not in texts["003"]:
        assert f"大{UNRECOVERABLE}" in units.set_index("unit").loc["大同市", "aliases"].split("|")
    u = units.set_index("unit")
    assert u.loc["阳曲现代农业产业示范区", "host"] == "阳曲县"
    assert u.loc["山西综改示范区", "host"] == "山西省"
    assert u.loc["定襄经开区", "prefecture"] == "忻州市"
    # the introduction speaks for the province
    first = passages[passages["doc_id"] == "003"].iloc[0]
    assert first["unit"] == "山西省" and first["start"] == 0


@pytest.mark.parametrize("doc", ["000", "001", "002", "003", "004"])
def test_seed_passages_cover_body(seeds, doc):
    texts, _, passages = seeds
    assert_partition(texts[doc], passages[passages["doc_id"] == doc])


def test_unit_shares_order_documents_and_largest_first():
    import pandas as pd

    from analytics.pipeline.units import unit_shares

    passages = pd.DataFrame({"doc_id": ["d1", "d1", "d1", "d2"], "unit": ["甲县", "乙县", "甲县", "丙县"],
                             "start": [0, 10, 40, 0], "end": [10, 40, 50, 5]})
    shares = unit_shares(passages)
    assert shares[["doc_id", "unit", "n_chars"]].values.tolist() == [["d1", "乙县", 30], ["d1", "甲县", 20],
                                                                     ["d2", "丙县", 5]]
    assert shares["share"].tolist() == [0.6, 0.4, 1.0]


# ---------------------------------------------------------------- the document's own unit, from the whole text

def own_unit(gz, text: str) -> str:
    from analytics.pipeline.units import unit_shares

    _, passages = run(gz, text)
    return unit_shares(passages).iloc[0]["unit"]


def test_a_county_beats_the_prefecture_and_province_that_only_place_it(gz):
    # the prefecture and province are named more often than in most texts, but only to place the county
    text = ("吕梁市：岚县发展马铃薯产业\n岚县位于山西省吕梁市东北部，地处吕梁山北段。山西省吕梁市岚县共有耕地"
            "96万亩，全县马铃薯种植面积稳定在20万亩。")
    assert own_unit(gz, text) == "岚县"


def test_a_prefecture_speaking_for_itself_stays_the_unit(gz):
    text = "吕梁市林业工作综述\n全市完成造林30万亩，全市森林覆盖率达到35%。其中岚县完成造林4万亩。我市将继续推进。"
    assert own_unit(gz, text) == "吕梁市"


def test_former_county_names_resolve_to_their_successor(gz):
    # 长垣县 became 长垣市 (撤县设市); the gazetteer knows only the city
    units, _ = run(gz, "长垣县政府工作报告\n全县地区生产总值增长8%，长垣县起重装备产业持续壮大。")
    row = units.set_index("unit").loc["长垣市"]
    assert row["kind"] == "county_city" and "长垣县" in row["aliases"].split("|")


def test_colon_speakers_and_a_moderator(gz):
    text = ("县域产业圆桌谈\n主持人：请各位谈谈去年的成绩。\n清河县委书记 王立群：我县羊绒产业产值达到200亿元。\n"
            "主持人：平乡呢？\n平乡县县长 赵海：平乡童车企业超过2000家。")
    _, passages = run(gz, text)
    by_speaker = dict(zip(passages["speaker"], passages["unit"]))
    assert by_speaker["清河县委书记 王立群"] == "清河县" and by_speaker["平乡县县长 赵海"] == "平乡县"
    host = passages[passages["text"].str.contains("平乡呢")]
    assert host["speaker"].tolist() == [""]  # the moderator's line is the narrator's, not 清河县's
    assert_partition(text, passages)


def test_short_names_inside_longer_names_name_no_division(gz):
    m = find_mentions("芙蓉镇景区接待游客。湘西州凤凰县古城。", gz)
    assert "芙蓉区" not in set(m["name"])                 # 芙蓉|镇 is a town, not 长沙's 芙蓉区
    zone = find_mentions("记者从江阴高新技术产业开发区获悉，江阴高新区工业总产值增长。", gz)
    assert set(zone["name"]) == {"江阴高新区"} and "从江县" not in set(zone["name"])  # 从|江阴, not 从江
