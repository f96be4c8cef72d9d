"""The demo Kyivans: what KyivID knows of a person and gives to Sadok."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kyivan:
    username: str
    family_name: str
    given_name: str
    middle_name: str
    email: str
    phone_number: str

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name} {self.middle_name}"


KYIVANS = (
    Kyivan(
        "kyivan-1",
        "Гнатюк",
        "Оксана",
        "Василівна",
        "oksana.hnatiuk@kyivid.example",
        "+380671110001",
    ),
    Kyivan(
        "kyivan-2", "Мазур", "Тарас", "Андрійович", "taras.mazur@kyivid.example", "+380931110002"
    ),
    Kyivan(
        "kyivan-3", "Ковальчук", "Ярослава", "Ігорівна", "yaroslava@kyivid.example", "+380501110003"
    ),
)
BY_USERNAME = {kyivan.username: kyivan for kyivan in KYIVANS}
