"""The demo's area trees: real 12-digit codes for province, prefecture and county, plausible below.

甘南县 is the synthetic county (story B); 马边 and 洛隆 carry stories A and C. Township and village
codes below the county follow the statistical code pattern (9 + 3 digits) but are not looked up
from the official list; 永利村's township is a plausible choice, the article does not name it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Township:
    code: str  # 12 digits
    name: str
    villages: tuple[tuple[str, str], ...]  # (12-digit code, name)


@dataclass(frozen=True)
class County:
    key: str
    chain: tuple[tuple[str, str], ...]  # (code, name) from province down to the county
    townships: tuple[Township, ...]


def _villages(township: str, names: str, first: int = 201) -> tuple[tuple[str, str], ...]:
    """Village committees are numbered 2xx under the township (communities 0xx)."""
    return tuple((f"{township[:9]}{first + i:03d}", n) for i, n in enumerate(names.split()))


GANNAN = County(
    key="gannan",
    chain=(("230000000000", "黑龙江省"), ("230200000000", "齐齐哈尔市"), ("230225000000", "甘南县")),
    townships=(
        Township("230225100000", "甘南镇", _villages("230225100", "东兴村 新发村 和平村 红星村 保安村")),
        Township("230225101000", "兴十四镇", _villages("230225101", "富强村 太平村 胜利村 兴隆村 前进村")),
        Township("230225102000", "平阳镇", _villages("230225102", "永利村 长发村 双山村 向阳村 光明村")),
        Township("230225103000", "东阳镇", _villages("230225103", "东升村 永丰村 新立村 友好村 团结村")),
        Township("230225104000", "巨宝镇", _villages("230225104", "民主村 新华村 荣华村 共和村 平安村")),
        Township("230225200000", "长山乡", _villages("230225200", "三合村 永安村 福兴村 宏伟村 长胜村")),
    ),
)
MABIAN = County(
    key="mabian",
    chain=(("510000000000", "四川省"), ("511100000000", "乐山市"), ("511133000000", "马边彝族自治县")),
    townships=(
        Township(
            "511133203000",
            "雪口山乡",
            (
                ("511133203001", "雪口山社区"),
                *_villages("511133203", "羊店儿村 黎明村 大营盘村 核桃坪村 三河口村"),
            ),
        ),
        Township("511133102000", "荣丁镇", _villages("511133102", "荣丁村 西河村")),
    ),
)
LUOLONG = County(
    key="luolong",
    chain=(("540000000000", "西藏自治区"), ("540300000000", "昌都市"), ("540329000000", "洛隆县")),
    townships=(
        Township("540329100000", "孜托镇", _villages("540329100", "孜托村 达西村 宗巴村 加日村")),
        Township("540329101000", "康沙镇", _villages("540329101", "康沙村 腊久村")),
    ),
)
COUNTIES = (GANNAN, MABIAN, LUOLONG)
