"""Two team members writing to one board at the same moment (threads, separate Databases).

Without BEGIN IMMEDIATE, two PostgreSQL transactions would read the same neighbours and
compute the same rank or the same item number; the second would then fail on a unique
constraint. The write lock makes them take turns, so both succeed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from kanban.services import Database
from kanban.services.items import add_item, load_board, move_item
from kanban.services.records import ProductInfo

ROUNDS = 15


def together(*work: Callable[[], None]) -> list[BaseException]:
    """Run each callable in its own thread, all released at once; the errors they raised."""
    start = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        start.wait()
        try:
            job()
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(t.is_alive() for t in threads), "a writer is stuck"
    return errors


def test_concurrent_adds_and_moves_end_with_unique_ordered_ranks_and_numbers(
    db: Database, pg_url: str, product: ProductInfo
) -> None:
    seed = [add_item(db, "WEB", f"Seed {n}") for n in range(4)]
    writers = [Database.open(pg_url) for _ in range(2)]
    added: dict[int, list[int]] = {0: [], 1: []}

    def member(index: int) -> Callable[[], None]:
        mine = writers[index]

        def work() -> None:
            for n in range(ROUNDS):
                # Both add at the top (rank from min(rank), number from the product row)...
                card = add_item(mine, "WEB", f"Writer {index} item {n}", top=True)
                added[index].append(card.id)
                # ...and both move a card to just after the same seed card.
                move_item(mine, card.id, after_id=seed[1].id)

        return work

    try:
        errors = together(member(0), member(1))
    finally:
        for writer in writers:
            writer.close()

    assert errors == []
    cards = load_board(db, "WEB").cards
    assert len(cards) == 4 + 2 * ROUNDS
    ranks = [c.rank for c in cards]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(ranks)
    numbers = sorted(int(c.key.split("-")[1]) for c in cards)
    assert numbers == list(range(1, len(cards) + 1))
    # Every moved card sits between the two seed cards it was placed after and before.
    order = [c.id for c in cards]
    between = order[order.index(seed[1].id) + 1 : order.index(seed[2].id)]
    assert sorted(between) == sorted(added[0] + added[1])


def test_concurrent_moves_to_the_same_place_take_turns(
    db: Database, pg_url: str, product: ProductInfo
) -> None:
    cards = [add_item(db, "WEB", f"Card {n}") for n in range(2 + 2 * ROUNDS)]
    first, last, movers = cards[0], cards[-1], cards[1:-1]
    writers = [Database.open(pg_url) for _ in range(2)]

    def member(index: int) -> Callable[[], None]:
        def work() -> None:
            # Each writer moves its own cards, one by one, to just below the first card:
            # both read the same neighbours at the same moment.
            for card in movers[index::2]:
                move_item(writers[index], card.id, after_id=first.id)

        return work

    try:
        errors = together(member(0), member(1))
    finally:
        for writer in writers:
            writer.close()

    assert errors == []
    board = load_board(db, "WEB").cards
    ranks = [c.rank for c in board]
    assert ranks == sorted(ranks) and len(set(ranks)) == len(ranks)
    assert (board[0].id, board[-1].id) == (first.id, last.id)
    assert sorted(c.id for c in board[1:-1]) == sorted(c.id for c in movers)
