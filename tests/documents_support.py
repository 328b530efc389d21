"""Documents as analysts collect them, made here from known text: PDFs printed by Debian's chromium (CID
fonts embedded, two columns, running headers and page numbers, a table), scans of them (pages rendered
to images, with a slight rotation and noise), saved web pages and .mhtml files, office files converted by
LibreOffice. Every text and number is written for the tests; the shapes follow real county documents.
No pytest imports here: tests and benchmarks share it.
"""
from __future__ import annotations

import html as html_lib
import io
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

# A county work report's paragraphs: the figures the tests look for are written once each.
REPORT_TITLE = "2024年沁源县人民政府工作报告"
REPORT_PARAGRAPHS = [
    "过去一年，面对复杂严峻的外部环境，全县上下坚持稳中求进工作总基调，经济社会发展取得新成效。"
    "全年实现地区生产总值212.6亿元，同比增长5.8%；一般公共预算收入完成18.42亿元，同比下降4.3%。",
    "生态建设持续加力。全县完成营造林8.6万亩，森林覆盖率达到60.12%，空气质量优良天数达到312天，"
    "沁河出境断面水质稳定保持在Ⅱ类标准。",
    "产业转型步伐加快。规模以上工业增加值增长6.6%，新培育规上工业企业12家；全县文旅康养产业加快发展，"
    "全年接待游客536万人次，实现旅游综合收入48.3亿元。",
    "民生保障更加有力。城镇居民人均可支配收入达到41265元，农村居民人均可支配收入达到18532元，"
    "分别增长4.9%和7.2%；新增城镇就业2860人。",
    "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%，"
    "城乡居民收入增长与经济增长基本同步。",
]
REPORT_TABLE = [("指标", "2023年", "增速"), ("地区生产总值", "212.6亿元", "5.8%"),
                ("固定资产投资", "96.4亿元", "-3.7%"), ("社会消费品零售总额", "41.8亿元", "6.1%")]
RUNNING_HEADER = "沁源县人民政府工作报告（2024）"
PROFILE_AREA = "全县总面积2549平方公里，森林覆盖率60.12%，辖7个镇7个乡。"


def chromium_available() -> bool:
    return CHROMIUM.exists()


def print_pdf(page_html: str) -> bytes:
    """A PDF of an HTML page, printed by chromium (its CJK font embedded as a CID font)."""
    with tempfile.TemporaryDirectory(prefix="countylens-pdf-") as scratch:
        source, target = Path(scratch) / "page.html", Path(scratch) / "page.pdf"
        source.write_text(page_html, encoding="utf-8")
        subprocess.run([str(CHROMIUM), *CHROMIUM_ARGS, f"--user-data-dir={scratch}/profile", "--no-pdf-header-footer",
                        f"--print-to-pdf={target}", source.as_uri()], check=True, capture_output=True, timeout=120)
        return target.read_bytes()


def report_html(columns: int = 2, pages: int = 3, table: bool = True, dateline: str = "") -> str:
    """The work report laid out as printed reports are: a running header and a page number on every page,
    the body in `columns` columns with narrow lines, a table of figures; `dateline` under the title (——2024年
    1月10日在…会议上)."""
    escape = html_lib.escape
    body_pages = []
    paragraphs = list(REPORT_PARAGRAPHS)
    per_page = max(1, -(-len(paragraphs) // pages))
    for number in range(1, pages + 1):
        chunk = paragraphs[(number - 1) * per_page:number * per_page]
        inner = "".join(f"<p>{escape(p)}</p>" for p in chunk)
        if number == 1:
            inner = f"<h1>{escape(REPORT_TITLE)}</h1>" + (f"<h4>{escape(dateline)}</h4>" if dateline else "") + inner
        if table and number == pages:
            rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in REPORT_TABLE)
            inner += f"<table>{rows}</table>"
        body_pages.append(f"<section><div class='header'>{escape(RUNNING_HEADER)}</div>"
                          f"<div class='body'>{inner}</div><div class='footer'>— {number} —</div></section>")
    style = f"""
    @page {{ size: A4; margin: 18mm 20mm; }}
    body {{ font-family: 'Noto Serif CJK SC', 'Noto Sans CJK SC', serif; font-size: 12pt; line-height: 1.6; }}
    section {{ page-break-after: always; position: relative; min-height: 250mm; }}
    .header {{ font-size: 9pt; text-align: center; border-bottom: 1px solid #999; margin-bottom: 6mm; }}
    .footer {{ position: absolute; bottom: 0; width: 100%; text-align: center; font-size: 9pt; }}
    .body {{ column-count: {columns}; column-gap: 10mm; text-align: justify; }}
    h1 {{ column-span: all; font-size: 18pt; text-align: center; }}
    h4 {{ column-span: all; font-size: 11pt; font-weight: normal; text-align: center; }}
    p {{ text-indent: 2em; margin: 0 0 3mm 0; }}
    table {{ column-span: all; border-collapse: collapse; margin-top: 4mm; width: 100%; }}
    td {{ border: 1px solid #333; padding: 1mm 3mm; }}
    """
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><style>{style}</style></head><body>" \
           f"{''.join(body_pages)}</body></html>"


def profile_html() -> str:
    """A one-column county profile whose lines break inside a measure (1149.5平⏎方公里) and a name."""
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>@page{size:A5;margin:15mm}"
            "body{font-family:'Noto Sans CJK SC';font-size:12pt;width:62mm;line-height:1.5}</style></head><body>"
            f"<h2>沁源县概况</h2><p>沁源县位于山西省长治市西北部。{PROFILE_AREA}全县森林覆盖率48.57%，门户网站"
            "提供政务服务。</p></body></html>")


def scanned_pdf(pdf: bytes, dpi: int = 200, angle: float = 0.6, noise: int = 12, seed: int = 3) -> bytes:
    """An image-only PDF of `pdf`'s pages: each rendered at `dpi`, turned `angle` degrees and speckled, as a
    scanner gives them."""
    import pypdfium2 as pdfium
    from PIL import Image

    rng = random.Random(seed)
    images = []
    for page in pdfium.PdfDocument(pdf):
        image = page.render(scale=dpi / 72).to_pil().convert("L")
        image = image.rotate(angle, expand=False, fillcolor=255, resample=Image.BICUBIC)
        pixels = image.load()
        width, height = image.size
        for _ in range(width * height // 400 * noise // 10):
            x, y = rng.randrange(width), rng.randrange(height)
            pixels[x, y] = rng.choice((0, 255))
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=dpi)
    return out.getvalue()


def page_image(pdf: bytes, page: int = 0, dpi: int = 200, fmt: str = "PNG") -> bytes:
    """One page of a PDF as an image file's bytes (a photo or scan of a single page)."""
    import pypdfium2 as pdfium

    image = pdfium.PdfDocument(pdf)[page].render(scale=dpi / 72).to_pil().convert("RGB")
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def office_file(text: str, extension: str) -> bytes:
    """`text` as a .doc / .rtf / .odt file, converted by LibreOffice from a .txt."""
    with tempfile.TemporaryDirectory(prefix="countylens-office-") as scratch:
        source = Path(scratch) / "source.txt"
        source.write_text(text, encoding="utf-8")
        filters = {"doc": "doc:MS Word 97", "rtf": "rtf", "odt": "odt", "docx": "docx:MS Word 2007 XML"}
        subprocess.run([soffice(), f"-env:UserInstallation=file://{scratch}/profile", "--headless",
                        "--infilter=Text (encoded):UTF8", "--convert-to", filters[extension], "--outdir", scratch,
                        str(source)], check=True, capture_output=True, timeout=180)
        return (Path(scratch) / f"source.{extension}").read_bytes()


NEWS_TITLE = "岚县马铃薯产业发展情况"
NEWS_BODY = ["今年以来，岚县坚持把马铃薯产业作为富民强县的主导产业，全县马铃薯种植面积稳定在20万亩。",
             "全县建成马铃薯良种繁育基地3个，培育龙头企业12家，带动农户2.3万户。",
             "下一步，岚县将继续延伸产业链条，力争到2025年全产业链产值突破30亿元。"]
NEWS_FURNITURE = ["今天是", "无障碍", "政务服务", "打印本页", "关闭窗口", "相关阅读", "春耕备耕", "ICP备", "分享到"]


def news_page(title: str = NEWS_TITLE, body: str = "") -> str:
    """A county government's saved news page: date line, navigation, breadcrumb, byline with date and
    outlet, share and print links, related articles and an ICP footer around the article."""
    body = body or "".join(f"<p>{p}</p>" for p in NEWS_BODY)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_岚县人民政府</title>
<meta property="og:title" content="{title}"><link rel="canonical" href="http://www.lanxian.gov.cn/a/1.html">
</head><body>
<div class="top">今天是：2025年6月4日 星期三 <a href="#">无障碍</a></div>
<div class="nav"><a href="/">首页</a> <a>政务公开</a> <a>动态</a> <a>政务服务</a></div>
<div class="crumb">首页 &gt; 政务公开 &gt; 部门动态</div>
<div class="article"><h1>{title}</h1>
<div class="info">发布时间：2024-06-04　来源：岚县农业农村局　浏览次数：1386</div>
<div class="content">{body}</div>
<div class="share">分享到：微信 微博【打印本页】【关闭窗口】</div></div>
<div class="related"><h3>相关阅读</h3><ul><li><a>岚县召开春耕备耕工作会议</a></li></ul></div>
<div class="footer">主办：岚县人民政府办公室 晋ICP备12345678号</div></body></html>"""


MEDIA_FURNITURE = ["扫一扫", "责任编辑", "上一篇", "下一篇", "网友评论", "版权所有", "热点推荐", "县委书记调研"]


def media_page(title: str = NEWS_TITLE, body: str = "") -> str:
    """A county media centre's (融媒体中心) news page: channel menu, byline with time, outlet and author, an
    editor line, previous/next links, a comment box, hot-news list and a copyright footer."""
    body = body or "".join(f"<p style='text-indent:2em'>{p}</p>" for p in NEWS_BODY)
    return f"""<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}-岚县融媒体中心</title><meta property="og:title" content="{title}">
<meta name="publishdate" content="2024-06-04"></head><body>
<header><ul class="menu"><li><a href="/">首页</a></li><li><a>时政要闻</a></li><li><a>乡镇动态</a></li>
<li><a>视频新闻</a></li></ul></header>
<main><article><h2 class="title">{title}</h2>
<p class="meta"><span>2024年06月04日 10:23</span> <span>来源：岚县融媒体中心</span> <span>作者：王晓明</span></p>
<div id="zoom">{body}</div><p class="editor">责任编辑：李婷</p>
<div class="qr">扫一扫在手机打开当前页</div>
<div class="pager"><a>上一篇：岚县开展夏季防汛演练</a><a>下一篇：岚县举办农民丰收节</a></div></article>
<section class="comments"><h4>网友评论</h4><textarea></textarea></section>
<aside><h4>热点推荐</h4><ol><li><a>县委书记调研马铃薯主食加工园区</a></li><li><a>岚县新增两家省级龙头企业</a></li></ol>
</aside></main><footer>版权所有：岚县融媒体中心　晋公网安备14112902000123号</footer></body></html>"""
