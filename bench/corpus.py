"""Write a deterministic corpus of Markdown articles with YAML front matter, for timing whole builds.

    .venv/bin/python bench/corpus.py build/bench/corpus-1000 --size 1000

The news is invented (see bench_cluster.py): events covered by 1-6 of twelve outlets over three years,
beats that share vocabulary, recurring names. Each article has 500-900 words in paragraphs of two to
five sentences, with what Markdown has to do in real posts: a subheading, a link, emphasis, a list in
some and a block quote in others. The same size and seed always give the same bytes; the files are
spread over one folder per year, as desks keep them.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cluster import START, Words, covered_events, long_paragraphs, new_world, zipf_pick  # noqa: E402

SEED = 20261122
WORDS = (500, 900)
AUTHORS = tuple(f"{first} {last}" for first, last in zip(
    ("Ada", "Bram", "Cleo", "Dov", "Esme", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Lev"),
    ("Marsh", "Okafor", "Lindqvist", "Baptiste", "Tanaka", "Reyes", "Novak", "Adeyemi", "Costa", "Holm",
     "Petrov", "Saari")))


def article_text(rng: random.Random, words: Words, general: list[str], event: dict, outlet: str) -> tuple[str, str]:
    """Return (slug, file text) for one outlet's article about `event`."""
    beat = event["beat"]
    title_words = [rng.choice(event["words"]) for _ in range(2)] + [zipf_pick(rng, beat["words"], 0.6)]
    title = f"{rng.choice(event['actors'])} {' '.join(title_words)} in {event['place']}"
    told = rng.sample(event["words"], max(3, len(event["words"]) * 2 // 3))
    angle = words.take(rng.randint(4, 10))
    target = rng.randint(*WORDS)
    paragraphs = list(long_paragraphs(rng, general, event, angle, told, target))
    first = paragraphs[0].split()
    first[3] = f"*{first[3]}*"
    paragraphs[0] = " ".join(first)
    paragraphs.insert(len(paragraphs) // 2, f"## {' '.join(rng.sample(told, 2)).capitalize()}")
    link_at = rng.randrange(1, len(paragraphs))
    if not paragraphs[link_at].startswith("#"):
        paragraphs[link_at] += f" [Read the statement](https://example.org/{rng.choice(told)}/{rng.randint(1, 9999)})."
    if rng.random() < 0.4:
        paragraphs.insert(-1, "\n".join(f"- {rng.choice(event['numbers'])} {rng.choice(told)} {rng.choice(angle)}"
                                        for _ in range(rng.randint(3, 5))))
    elif rng.random() < 0.5:
        paragraphs.insert(2, f"> {event['quote']}.")
    offset = rng.choices((0, 1, 2, 3), (60, 25, 10, 5))[0]
    published = START + timedelta(days=event["day"] + offset, hours=rng.randint(5, 22), minutes=rng.randint(0, 59))
    tags = sorted({rng.choice(beat["topics"][:12]), rng.choice(beat["topics"][:12])})
    front = "\n".join((
        "---",
        f'title: "{title}"',
        f"date: {published:%Y-%m-%d %H:%M:%S %z}",
        f'author: "{rng.choice(AUTHORS)}"',
        f'source: "{outlet}"',
        f"tags: [{', '.join(tags)}]",
        "---",
    ))
    slug = f"{published:%Y/%Y-%m-%d}-{outlet.split()[-1].lower()}-{'-'.join(title_words).lower()}"
    return slug, front + "\n\n" + "\n\n".join(paragraphs) + "\n"


def write_corpus(folder: Path, size: int, seed: int = SEED) -> list[Path]:
    """Write `size` articles under `folder` (which must not hold any yet) and return their paths."""
    rng = random.Random(seed)
    general, beats, words = new_world(rng)
    written: list[Path] = []
    for event, outlets in covered_events(rng, words, beats, size):
        for outlet in outlets:
            slug, text = article_text(rng, words, general, event, outlet)
            path = folder / f"{slug}-{len(written):06d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "x", encoding="utf-8") as file:  # never overwrite: the folder must be new
                file.write(text)
            written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a folder that does not exist yet")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=SEED)
    options = parser.parse_args()
    if options.folder.exists():
        parser.error(f"{options.folder} already exists; give a new folder")
    paths = write_corpus(options.folder, options.size, options.seed)
    total = sum(path.stat().st_size for path in paths)
    print(f"wrote {len(paths):,} articles ({total / 2**20:.1f} MiB) under {options.folder}")


if __name__ == "__main__":
    main()
