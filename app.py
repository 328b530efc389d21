"""CountyLens 县域战略对比 — the frame: navigation, language, presentation mode. Nothing else."""
from __future__ import annotations

import streamlit as st

from analytics.export.i18n import t
from app_pages import common

st.set_page_config(page_title="CountyLens 县域战略对比", page_icon=":material/map:", layout="wide")
lang = common.language()
common.streamlit_strings(lang)
presenting = common.presentation_mode(lang)

# The default page is served at "/" but still reserves its own path, which then answers "Page not found": give
# it a path nobody types, and serve the home page at /home and /overview as hidden second paths (links an
# analyst may share or type).
home = st.Page("app_pages/overview.py", title=t("page.overview", lang), icon=":material/library_books:",
               url_path="countylens-home", default=True)
pages = [
    st.Page("app_pages/compare.py", title=t("page.compare", lang), icon=":material/compare:", url_path="compare"),
    st.Page("app_pages/similarity.py", title=t("page.similarity", lang), icon=":material/hub:", url_path="similarity"),
    st.Page("app_pages/themes.py", title=t("page.themes", lang), icon=":material/category:", url_path="themes"),
    st.Page("app_pages/figures.py", title=t("page.figures", lang), icon=":material/table_chart:", url_path="figures"),
    st.Page("app_pages/library.py", title=t("page.library", lang), icon=":material/upload_file:", url_path="library"),
]
# The home page at its second paths, left out of the sidebar (which lists the pages itself).
also_home = [st.Page("app_pages/overview.py", title=t("page.overview", lang), url_path=path)
             for path in ("home", "overview")]
common.load_corpus_or_stop(lang)
navigation = st.navigation([home, *pages, *also_home], position="hidden")
if not presenting:
    with st.sidebar:
        for page in [home, *pages]:
            st.page_link(page)
navigation.run()
