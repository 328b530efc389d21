"""文档库 Library: add your own documents (several at once), see what was rejected and why, remove."""
import streamlit as st

from analytics.corpus.isolation import Limits
from analytics.corpus.store import StoreError, add_files, list_documents, remove_document
from analytics.export.i18n import t
from analytics.pipeline.ingest import FORMATS, MAX_FILE_BYTES
from analytics.views import shared
from app_pages import common

lang = common.lang()
st.title(t("page.library", lang))
st.caption(t("library.intro", lang, mb=MAX_FILE_BYTES // 2**20))

try:
    store = common.store()
except StoreError as error:  # a damaged or unreadable store: say so and what to run; nothing is written
    st.error(t("library.store_unusable", lang, error=shared.plain(str(error))))
    st.stop()
if store.read_only:
    st.warning(t("library.read_only", lang, reason=shared.plain(store.read_only), path=shared.plain(str(store.path))))

generation = st.session_state.setdefault("upload_generation", 0)
uploads = None if store.read_only else st.file_uploader(t("widget.upload", lang), type=sorted({s.lstrip(".") for s in FORMATS}),
                           accept_multiple_files=True, key=f"w_upload_{generation}")
if uploads and st.button(t("button.add_documents", lang, n=len(uploads)), type="primary"):
    bar = st.progress(0.0, text=t("library.adding", lang))

    def progress(done: int, total: int, name: str) -> None:
        bar.progress(done / max(total, 1), text=t("library.added_n", lang, done=done, total=total, name=name))

    # read and analysed in a worker process with a time and memory limit: the server keeps serving
    result = add_files(common.store(), [(f.name, f.getvalue()) for f in uploads], progress=progress,
                       limits=Limits(), cancelled=common.session_ended())
    st.session_state["last_add"] = shared.add_messages(result, lang)
    st.session_state["upload_generation"] = generation + 1
    st.rerun()

for kind, message in st.session_state.pop("last_add", []):
    getattr(st, kind)(shared.plain(message))

st.subheader(t("library.documents", lang))
documents = list_documents(common.store())
st.dataframe(shared.library_view(documents, lang), hide_index=True)
removable = documents[documents["source"] != "seed"]
if store.read_only:
    pass  # nothing can be removed from a read-only store; the warning above says why
elif removable.empty:
    st.caption(t("library.seeds_kept", lang))
else:
    left, right = st.columns([4, 1])
    doc_id = left.selectbox(t("widget.remove", lang), removable["doc_id"].tolist(), key="w_remove",
                            format_func=dict(zip(removable["doc_id"], removable["file_name"])).get)
    if right.button(t("button.remove", lang), key="remove_button"):
        try:
            remove_document(common.store(), doc_id)
            st.session_state["last_add"] = [("success", t("library.removed", lang, name=doc_id))]
        except StoreError as error:
            st.session_state["last_add"] = [("error", str(error))]
        st.rerun()
