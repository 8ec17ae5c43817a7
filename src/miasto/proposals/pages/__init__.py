"""Proposal pages: the public ones (:mod:`.public`) and the staff's (:mod:`.staff`)."""
