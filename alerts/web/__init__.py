"""The alerts app's pages: the inbox, marking read, email preferences; the header's count."""
