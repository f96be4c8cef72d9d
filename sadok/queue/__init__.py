"""Who waits where: the queue record of each registered child and its keys, the one
place where the queue rule meets SQL (built from `sadok.allocation`), the queues and
positions the database reads with it, and the door through which every write that
changes a queue refreshes what depends on it."""
