"""文档库 Library: add your own documents (files, a folder or a zip), see what was refused and why, correct
a document's title, date, place or outlet, remove."""
import streamlit as st

from analytics.corpus.isolation import Limits
from analytics.corpus.library import add_files, correct_document
from analytics.corpus.store import StoreError, list_documents, remove_document
from analytics.export.i18n import t
from analytics.pipeline.ingest import ARCHIVES, FORMATS, MAX_ARCHIVE_BYTES, MAX_FILE_BYTES
from analytics.views import shared
from app_pages import common

lang = common.lang()
st.title(t("page.library", lang))
st.caption(t("library.intro", lang, mb=MAX_FILE_BYTES // 2**20, zip_mb=MAX_ARCHIVE_BYTES // 2**20))

try:
    store = common.store()
except StoreError as error:  # a damaged or unreadable store: say so and what to run; nothing is written
    st.error(t("library.store_unusable", lang, error=shared.plain(str(error))))
    st.stop()
if store.read_only:
    st.warning(t("library.read_only", lang, reason=shared.plain(store.read_only), path=shared.plain(str(store.path))))

generation = st.session_state.setdefault("upload_generation", 0)
uploads = None
if not store.read_only:
    # a folder (with its subfolders) or files; a .zip among them gives the documents inside it
    mode = common.choice("upload", ["files", "folder"], lang)
    uploads = st.file_uploader(t("widget.upload_files" if mode == "files" else "widget.upload_folder", lang), type=sorted({x.lstrip(".") for x in (*FORMATS, *ARCHIVES)}),
                               accept_multiple_files=True if mode == "files" else "directory",
                               max_upload_size=MAX_ARCHIVE_BYTES // 2**20, key=f"w_upload_{mode}_{generation}")
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
if not store.read_only and not documents.empty:
    with st.expander(t("library.correct", lang)):
        doc_id = st.selectbox(t("widget.correct_document", lang), documents["doc_id"].tolist(), key="w_correct",
                              format_func=dict(zip(documents["doc_id"], documents["file_name"])).get)
        now = shared.correction_defaults(documents, doc_id)
        places = shared.place_options()
        with st.form(f"correct_{doc_id}"):
            title = st.text_input(t("col.title", lang), now.get("title", ""))
            left, middle, right = st.columns(3)
            date = left.text_input(t("col.date", lang), now.get("date", ""), placeholder="2024-08-06")
            place_keys = ["", *places]
            place = middle.selectbox(t("col.place", lang), place_keys, key=f"w_place_{doc_id}",
                                     index=place_keys.index(now.get("place", "")),
                                     format_func=lambda k: places.get(k, t("option.place_inferred", lang)))
            outlet = right.text_input(t("col.outlet", lang), now.get("outlet", ""))
            if st.form_submit_button(t("button.correct", lang)):
                try:
                    submitted = {"title": title, "date": date, "place": place, "outlet": outlet}
                    correct_document(common.store(), doc_id, shared.changed_fields(now, submitted), limits=Limits())
                    st.session_state["last_add"] = [("success", t("library.corrected", lang, name=now.get("title") or doc_id))]
                except (StoreError, ValueError) as error:
                    st.session_state["last_add"] = [("error", str(error))]
                st.rerun()
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
