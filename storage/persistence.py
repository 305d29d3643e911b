"""python-telegram-bot persistence for conversations and user_data, in our DB.

Conversation states and ``context.user_data`` (which item a reviewer is
writing a note for, say) are stored; everything else a handler needs lives in
the domain tables already.  The bot calls ``application.update_persistence()``
after each drafting step, so a restart resumes the conversation exactly where
the writer was, not where it was a minute ago.
"""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput

from storage.models import ConversationState, UserData

_STORED = PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False)


class SqlConversationPersistence(BasePersistence):
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        prepare: Callable[[], Awaitable[None]],
        update_interval: float = 5,
    ) -> None:
        super().__init__(store_data=_STORED, update_interval=update_interval)
        self._sessions = sessions
        self._prepare = prepare
        self._prepared = False
        #: What was last written per user (see update_user_data).
        self._written: dict[int, str] = {}

    async def _ready(self) -> None:
        # Application.initialize() reads persistence before post_init runs, so
        # the schema is brought up to date here, on first use.
        if not self._prepared:
            await self._prepare()
            self._prepared = True

    async def get_conversations(self, name: str):
        await self._ready()
        async with self._sessions() as s:
            rows = (await s.scalars(select(ConversationState).where(ConversationState.name == name))).all()
        return {tuple(json.loads(r.key)): json.loads(r.state) for r in rows}

    async def update_conversation(self, name: str, key, new_state) -> None:
        k = json.dumps(list(key))
        async with self._sessions.begin() as s:
            if new_state is None:
                await s.execute(
                    delete(ConversationState).where(ConversationState.name == name, ConversationState.key == k)
                )
                return
            row = await s.get(ConversationState, (name, k))
            if row is None:
                s.add(ConversationState(name=name, key=k, state=json.dumps(new_state)))
            else:
                row.state = json.dumps(new_state)

    # Chat, bot and callback data are not persisted (store_data says so); PTB
    # still requires the full interface.
    async def get_user_data(self):
        await self._ready()
        async with self._sessions() as s:
            rows = (await s.scalars(select(UserData))).all()
        self._written = {r.user_id: json.dumps(r.data, sort_keys=True, default=str) for r in rows}
        return {r.user_id: dict(r.data) for r in rows}

    async def get_chat_data(self):
        return {}

    async def get_bot_data(self):
        return {}

    async def get_callback_data(self):
        return None

    async def update_user_data(self, user_id, data) -> None:
        # python-telegram-bot asks after every update whose user_data was read;
        # most of the time nothing changed, and a write would cost a transaction.
        snapshot = json.dumps(data, sort_keys=True, default=str)
        if self._written.get(user_id) == snapshot:
            return
        self._written[user_id] = snapshot
        async with self._sessions.begin() as s:
            row = await s.get(UserData, user_id)
            if row is None:
                s.add(UserData(user_id=user_id, data=dict(data)))
            else:
                row.data = dict(data)

    async def update_chat_data(self, chat_id, data) -> None:
        return None

    async def update_bot_data(self, data) -> None:
        return None

    async def update_callback_data(self, data) -> None:
        return None

    async def drop_chat_data(self, chat_id) -> None:
        return None

    async def drop_user_data(self, user_id) -> None:
        self._written.pop(user_id, None)
        async with self._sessions.begin() as s:
            await s.execute(delete(UserData).where(UserData.user_id == user_id))

    async def refresh_user_data(self, user_id, user_data) -> None:
        return None

    async def refresh_chat_data(self, chat_id, chat_data) -> None:
        return None

    async def refresh_bot_data(self, bot_data) -> None:
        return None

    async def flush(self) -> None:
        return None
