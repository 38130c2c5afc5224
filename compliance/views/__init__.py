"""The compliance app's pages, by topic: the legal pages, the notice form (art. 16), the
complaint form reached from a decision's e-mail (art. 20); P2B (C3): the public pages
(`p2b_public`) and the store's back-office pages (`p2b_backoffice`)."""
