"""The domain events: every change of a queue, a place, an offer or a group, with
when, who (by role) and why, appended in the transaction of the change. The public
log (with its hash chain) is built from them; they are the history that a replay
through `sadok.allocation` checks. `docs/events.md` lists the kinds and what each
carries."""
