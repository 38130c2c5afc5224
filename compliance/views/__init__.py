"""The compliance app's pages, by topic: the legal pages, the notice form (art. 16), the
complaint form reached from a decision's e-mail (art. 20)."""
