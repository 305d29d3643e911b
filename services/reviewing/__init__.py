"""SOP steps 3-5, the reviewers' desk: who reviews what, the cards, decisions, comments and claims."""
