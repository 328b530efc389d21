"""Views -> what leaves the app: charts, files, fonts, UI strings, deck, HTML report."""
