"""Corpus + a selection -> what one page (or deck, or report) shows; nothing here touches Streamlit."""
