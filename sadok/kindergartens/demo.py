"""A deterministic demo Kyiv: the ten real districts and plausible kindergartens.

Street names are real streets of each district; coordinates scatter around a
point inside the district. Numbers, names and groups come from a seeded random
generator, so every run builds the same city.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from sadok.kindergartens.models import (
    District,
    Enrollment,
    Group,
    GroupKind,
    Kindergarten,
    KindergartenType,
    Language,
    ReferralKind,
    Specialisation,
)


@dataclass(frozen=True)
class DemoDistrict:
    slug: str
    name: str
    name_en: str
    centre: tuple[float, float]
    spread: tuple[float, float]
    streets: tuple[str, ...]


DISTRICTS = (
    DemoDistrict(
        "holosiivskyi",
        "Голосіївський",
        "Holosiivskyi",
        (50.385, 30.505),
        (0.02, 0.02),
        (
            "вул. Васильківська",
            "просп. Голосіївський",
            "вул. Ломоносова",
            "вул. Академіка Заболотного",
            "вул. Великокитаївська",
            "просп. Науки",
        ),
    ),
    DemoDistrict(
        "darnytskyi",
        "Дарницький",
        "Darnytskyi",
        (50.405, 30.635),
        (0.018, 0.025),
        (
            "вул. Ревуцького",
            "вул. Драгоманова",
            "просп. Петра Григоренка",
            "вул. Срібнокільська",
            "вул. Ялтинська",
            "вул. Тростянецька",
        ),
    ),
    DemoDistrict(
        "desnianskyi",
        "Деснянський",
        "Desnianskyi",
        (50.51, 30.615),
        (0.015, 0.025),
        (
            "вул. Закревського",
            "просп. Червоної Калини",
            "вул. Драйзера",
            "вул. Оноре де Бальзака",
            "вул. Лісківська",
            "вул. Кіото",
        ),
    ),
    DemoDistrict(
        "dniprovskyi",
        "Дніпровський",
        "Dniprovskyi",
        (50.455, 30.61),
        (0.015, 0.02),
        (
            "бульв. Перова",
            "вул. Райдужна",
            "просп. Соборності",
            "вул. Ентузіастів",
            "бульв. Верховної Ради",
            "вул. Березняківська",
        ),
    ),
    DemoDistrict(
        "obolonskyi",
        "Оболонський",
        "Obolonskyi",
        (50.51, 30.5),
        (0.015, 0.02),
        (
            "просп. Оболонський",
            "просп. Володимира Івасюка",
            "вул. Героїв Дніпра",
            "вул. Маршала Тимошенка",
            "вул. Прирічна",
            "вул. Богатирська",
        ),
    ),
    DemoDistrict(
        "pecherskyi",
        "Печерський",
        "Pecherskyi",
        (50.43, 30.545),
        (0.012, 0.015),
        (
            "бульв. Лесі Українки",
            "вул. Бастіонна",
            "Кловський узвіз",
            "вул. Генерала Алмазова",
            "вул. Михайла Бойчука",
            "вул. Мечникова",
        ),
    ),
    DemoDistrict(
        "podilskyi",
        "Подільський",
        "Podilskyi",
        (50.485, 30.45),
        (0.015, 0.02),
        (
            "вул. Семена Скляренка",
            "вул. Мостицька",
            "просп. Василя Порика",
            "вул. Межигірська",
            "вул. Кирилівська",
            "просп. Правди",
        ),
    ),
    DemoDistrict(
        "sviatoshynskyi",
        "Святошинський",
        "Sviatoshynskyi",
        (50.445, 30.38),
        (0.02, 0.02),
        (
            "просп. Берестейський",
            "вул. Якуба Коласа",
            "вул. Жмаченка",
            "бульв. Кольцова",
            "вул. Симиренка",
            "вул. Героїв Космосу",
        ),
    ),
    DemoDistrict(
        "solomianskyi",
        "Солом'янський",
        "Solomianskyi",
        (50.43, 30.455),
        (0.012, 0.02),
        (
            "вул. Гарматна",
            "просп. Повітряних Сил",
            "вул. Донця",
            "вул. Солом'янська",
            "вул. Кадетський Гай",
            "вул. Ушинського",
        ),
    ),
    DemoDistrict(
        "shevchenkivskyi",
        "Шевченківський",
        "Shevchenkivskyi",
        (50.46, 30.49),
        (0.01, 0.015),
        (
            "вул. Січових Стрільців",
            "вул. Олени Теліги",
            "вул. Дегтярівська",
            "вул. Багговутівська",
            "вул. Ольжича",
            "вул. Ярославів Вал",
        ),
    ),
)

SPECIALISATIONS = (
    ("speech", "логопедична", "speech therapy", ReferralKind.PMPK),
    ("inclusive", "інклюзивна", "inclusive", ReferralKind.PMPK),
    ("sanatorium", "санаторна", "sanatorium", ReferralKind.LKK),
    ("english", "поглиблене вивчення англійської", "English-intensive", ""),
    ("arts", "художньо-естетичний напрям", "arts", ""),
    ("sport", "фізкультурно-оздоровчий напрям", "sport and health", ""),
)

NAMES = (
    "Сонечко",
    "Веселка",
    "Дзвіночок",
    "Казка",
    "Ромашка",
    "Барвінок",
    "Золотий ключик",
    "Берізка",
    "Калинка",
    "Ластівка",
    "Пролісок",
    "Теремок",
    "Малятко",
    "Лелека",
    "Світлячок",
    "Горобинка",
    "Усмішка",
    "Джерельце",
    "Соняшник",
    "Червона шапочка",
    "Журавлик",
    "Вишенька",
    "Колосок",
    "Струмочок",
    "Материнка",
    "Зірочка",
    "Бджілка",
    "Чебурашка",
    "Віночок",
    "Буратіно",
)

# (kind, label, from, to, capacity): the usual groups of a Kyiv kindergarten, with
# capacities within the Law "On Preschool Education", art. 14.
GENERAL_GROUPS = (
    (GroupKind.NURSERY, "ясельна", 12, 24, 15),
    (GroupKind.NURSERY, "ясельна", 24, 36, 15),
    (GroupKind.YOUNGER, "молодша", 36, 48, 20),
    (GroupKind.MIDDLE, "середня", 48, 60, 20),
    (GroupKind.OLDER, "старша", 60, 84, 20),
)
SPECIAL_GROUPS = {
    "speech": (GroupKind.SPECIAL, "логопедична", 48, 84, 12),
    "inclusive": (GroupKind.SPECIAL, "інклюзивна", 36, 84, 15),
    "sanatorium": (GroupKind.SPECIAL, "санаторна", 36, 84, 20),
}

KINDERGARTENS_PER_DISTRICT = 8
ENROLLED_SINCE = dt.date(2025, 9, 1)


@dataclass(frozen=True)
class DemoSummary:
    districts: int
    kindergartens: int
    groups: int
    enrolled: int


def demo_city_load(*, seed: int = 2026) -> DemoSummary:
    """Create the demo city in an empty directory; refuse to mix it with real data."""
    if Kindergarten.objects.exists():
        raise ValueError(
            "The directory already has kindergartens; the demo city goes only into an empty one."
        )
    rng = random.Random(seed)
    with transaction.atomic():
        specialisations = {
            slug: Specialisation.objects.create(
                slug=slug, name=name, name_en=name_en, referral=referral
            )
            for slug, name, name_en, referral in SPECIALISATIONS
        }
        numbers = rng.sample(range(1, 800), KINDERGARTENS_PER_DISTRICT * len(DISTRICTS))
        groups: list[Group] = []
        for index, demo in enumerate(DISTRICTS):
            district = District.objects.create(slug=demo.slug, name=demo.name, name_en=demo.name_en)
            for offset in range(KINDERGARTENS_PER_DISTRICT):
                number = numbers[index * KINDERGARTENS_PER_DISTRICT + offset]
                kindergarten, extra = _demo_kindergarten(
                    rng, demo, district, number, specialisations
                )
                groups.extend(_demo_groups(rng, kindergarten, extra, specialisations))
        Group.objects.bulk_create(groups)
        enrollments = [
            Enrollment(group=group, started_on=ENROLLED_SINCE)
            for group in groups
            for _ in range(max(0, group.capacity - rng.choice((0, 0, 0, 1, 1, 2, 3, 5))))
        ]
        Enrollment.objects.bulk_create(enrollments)
    return DemoSummary(
        districts=len(DISTRICTS),
        kindergartens=len(numbers),
        groups=len(groups),
        enrolled=len(enrollments),
    )


def _demo_kindergarten(
    rng: random.Random,
    demo: DemoDistrict,
    district: District,
    number: int,
    specialisations: dict[str, Specialisation],
) -> tuple[Kindergarten, list[str]]:
    special = rng.choice(((), (), (), ("speech",), ("inclusive",), ("sanatorium",)))
    kind = (
        KindergartenType.COMBINED
        if special
        else rng.choice(
            (KindergartenType.NURSERY_KINDERGARTEN,) * 4 + (KindergartenType.KINDERGARTEN,)
        )
    )
    language = rng.choice((Language.UKRAINIAN,) * 12 + (Language.CRIMEAN_TATAR, Language.POLISH))
    name = rng.choice(NAMES)
    lat = demo.centre[0] + rng.uniform(-demo.spread[0], demo.spread[0])
    lng = demo.centre[1] + rng.uniform(-demo.spread[1], demo.spread[1])
    kindergarten = Kindergarten.objects.create(
        number=number,
        name=f"{str(kind.label).capitalize()} «{name}»",
        district=district,
        address=f"{rng.choice(demo.streets)}, {rng.randint(1, 60)}",
        latitude=round(lat, 6),
        longitude=round(lng, 6),
        phone=f"+380 44 {rng.randint(200, 599)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        email=f"dnz{number}@osvita.kyiv.ua",
        language=language,
        type=kind,
        description=(
            f"Комунальний заклад дошкільної освіти № {number} {demo.name.lower()[:-2]}ого району "
            "міста Києва."
        ),
        working_hours="07:00–19:00",
    )
    extra = [rng.choice(("english", "arts", "sport"))] if rng.random() < 0.4 else []
    kindergarten.specialisations.set([specialisations[slug] for slug in (*special, *extra)])
    return kindergarten, list(special)


def _demo_groups(
    rng: random.Random,
    kindergarten: Kindergarten,
    special: list[str],
    specialisations: dict[str, Specialisation],
) -> list[Group]:
    """3 to 8 groups: the usual age ladder, some doubled, plus its special groups."""
    rows = [row for row in GENERAL_GROUPS if row[2] >= 24 or rng.random() < 0.6]
    rows += [row for row in GENERAL_GROUPS[2:] if rng.random() < 0.35]
    rows.sort(key=lambda row: row[2])
    groups: list[Group] = []
    counters: dict[str, int] = {}
    for kind, label, age_from, age_to, capacity in rows[: 8 - len(special)]:
        counters[label] = counters.get(label, 0) + 1
        groups.append(
            Group(
                kindergarten=kindergarten,
                name=f"{counters[label]} {label}",
                kind=kind,
                age_from_months=age_from,
                age_to_months=age_to,
                capacity=capacity,
                language=kindergarten.language,
            )
        )
    for slug in special:
        kind, label, age_from, age_to, capacity = SPECIAL_GROUPS[slug]
        groups.append(
            Group(
                kindergarten=kindergarten,
                name=f"1 {label}",
                kind=kind,
                age_from_months=age_from,
                age_to_months=age_to,
                capacity=capacity,
                specialisation=specialisations[slug],
                language=kindergarten.language,
            )
        )
    return groups
