"""Every button the bot draws, as one enum: the op written into the callback
data and how many arguments it carries.  ``button()`` encodes from it and
every handler pattern is drawn from it (``on(Op.X, …)``)."""
from __future__ import annotations

from enum import StrEnum


class Op(StrEnum):
    nargs: int

    def __new__(cls, value: str, nargs: int) -> Op:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.nargs = nargs
        return obj

    @classmethod
    def named(cls, value: str) -> Op:
        """The op written as ``value`` in callback data; ValueError when there is none."""
        member = cls._value2member_map_.get(value)
        if not isinstance(member, cls):
            raise ValueError(f"no op {value!r}")
        return member

    # drafting (SOP steps 1-3)
    RESUME = "dr", 1             # submission
    SECTION = "ds", 2            # submission, section
    KIND = "dk", 2               # submission, kind
    BODY_MODE = "dm", 2          # submission, f(ree) | g(uided)
    MEDIA_DONE = "mf", 1         # submission
    MEDIA_MANAGE = "mm", 1       # submission
    MEDIA_REMOVE = "mr", 2       # submission, attachment
    MEDIA_CAPTION = "mc", 2      # submission, attachment
    SUBMIT = "ps", 1             # submission
    EDIT = "pe", 2               # submission, part
    EDIT_PARA = "pp", 2          # submission, paragraph (1-based; 0: a new one at the end)
    EDIT_PARA_DROP = "ppd", 3    # submission, paragraph to delete, the body it was picked from
    MASK = "px", 1               # submission
    CANCEL_DRAFT = "pc", 1       # submission (asks)
    CANCEL_DRAFT_YES = "pcy", 1  # submission (confirmed)
    REVISE = "rv", 1             # submission, after a return
    EXPIRY = "pv", 1             # submission: "Berlaku sampai" (a pengumuman)
    # review (SOP steps 4-5)
    FORWARD = "rf", 2            # submission, revision
    RETURN = "rr", 2             # submission, revision
    APPROVE = "ra", 2            # submission, revision
    CORRECT = "rc", 2            # submission, revision
    CORRECT_FIELD = "rcf", 3     # submission, revision, title|body (the whole body)
    CORRECT_PARA = "rcp", 3      # submission, revision, paragraph (1-based; 0: a new one at the end)
    CORRECT_DROP = "rcd", 3      # submission, revision, paragraph to delete
    CORRECT_SAVE = "rcs", 3      # submission, revision, the change it was drawn for (older ones are stale)
    CORRECT_AGAIN = "rca", 2     # submission, revision
    REVIEW_CANCEL = "rx", 0
    STATUS = "st", 1             # submission: the outcome on a decided card
    SCHEDULE = "rj", 2           # submission, revision: Setujui & jadwalkan (asks when)
    SCHEDULE_AT = "rjt", 3       # submission, revision, minutes since the epoch: approve for then
    MOVE_AT = "rjn", 2           # submission, minutes since the epoch: move the schedule to then
    SCHEDULE_TYPE = "rjk", 3     # submission, revision (0: moving), 0 approve | 1 move: asks for a typed time
    SCHEDULE_MOVE = "rjm", 1     # submission: Ubah jadwal
    SCHEDULE_CANCEL = "rjx", 1   # submission: Batalkan jadwal
    # publishing, updates, withdrawal
    RETRY_JOB = "pr8", 1         # publication job
    WITHDRAW_DECIDE = "wd", 2    # submission, 1 confirm | 0 keep
    # people and sections (admin)
    INVITE_ROLE = "iv", 1        # role
    INVITE_SECTION = "ivs", 1    # section
    PERSON_MANAGE = "pm", 1      # person
    PERSON_REVOKE = "pr", 1      # grant
    PERSON_GRANT = "pg", 2       # person, role
    PERSON_GRANT_SECTION = "pgs", 2  # person, section
    SECTION_OFF = "so", 1        # section
    # acting officials (Plh/Plt)
    ACTING_NEW = "apn", 0
    ACTING_ROLE = "apr", 1       # role
    ACTING_PERSON = "app", 2     # role, person
    ACTING_DAYS = "apd", 3       # role, person, days
    ACTING_CANCEL = "apc", 1     # assignment
    # when and where the photos were taken (issue 13)
    PHOTO_USE = "dpf", 2         # submission, kapan | di_mana
    # spelling (etika penulisan)
    FIX_SPELLING = "sp", 1       # submission
    # public-information classes (UU 14/2008) and the Daftar Informasi Publik
    KIP_CLASS = "kc", 2          # submission, class (the writer's preview)
    KIP_CARD = "kr", 3           # submission, revision, class (a review card)
    KIP_DEFAULT = "kd", 2        # kind, class (the admin's /kip)
    KIP_CLASS_MENU = "kcm", 1    # submission: the preview's class button shows the four classes
    KIP_CARD_MENU = "krm", 2     # submission, revision: the card's class row shows the four classes
    KIP_DEFAULT_MENU = "kdm", 1  # kind: /kip's kind button shows the four classes
    KIP_GROUND = "kg", 2         # submission, letter: the UU 14/2008 Pasal 17 ground of an exemption's record
    # comments on the draft (issue 21)
    COMMENT_RESOLVE = "cmr", 1   # comment (its thread is resolved)
    COMMENT_DELETE = "cmx", 1    # comment (its author takes it back, within 5 minutes)
    COMMENT_EDIT = "cme", 1      # comment (its author rewrites it, within 5 minutes)
    COMMENT_SHOW = "cms", 1      # comment (its thread shown again: the writer's preview lists open ones)
    APPROVE_OPEN = "rao", 2      # submission, revision: Setujui although comments are open (asked once)
    RETURN_COMMENTS = "rrc", 2   # submission, revision: Kembalikan with the open comments as the note
    CLAIM = "rk", 2              # submission, revision: 🙋 Saya periksa (several hold the role)
    CLAIM_RELEASE = "rkl", 2     # submission, revision: Lepaskan (the claimant lets go)

    # offices (issue 20)
    OFFICE_SWITCH = "ko", 1      # office: work there from now on
