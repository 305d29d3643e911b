"""SOP steps 1-2, the writer's desk: drafts saved as they are typed, received files, the writing aids
(office dictionary, places, one-time hints) and the public-information class."""
