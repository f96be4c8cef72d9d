"""The family's cabinet: the pages of a parent's children, their kindergartens,
privileges and offers. It sits on top of the domain apps (applications, the queue,
offers, notifications) and composes them; the writes go through their services."""
