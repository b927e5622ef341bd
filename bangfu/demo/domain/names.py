"""Name pools for the three demo counties: Han (甘南), Yi (马边) and Tibetan (洛隆).

Han names are surname + one or two given characters; Yi names are a clan name (家支) + a given
name; Tibetan names are usually two two-character names and carry no surname.
"""

from __future__ import annotations

import random


def _pairs(text: str) -> list[str]:
    """Two-character names written as one string (keeps the tables short)."""
    return [text[i : i + 2] for i in range(0, len(text), 2)]


HAN_SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
HAN_MALE = "国建军明伟强海春立新志永文华平东福德成林山宝玉刚杰金庆广胜忠荣长发军祥"
HAN_FEMALE = "秀丽芳桂英玉兰淑珍凤霞红梅华静艳玲燕敏春霞娟萍琴云莉雪"

YI_CLANS = _pairs("吉石沙马阿约吉克阿和俄底勒格海来曲比阿苦吉伍马海阿的木乃")
YI_MALE = _pairs("罗布拉者日火木呷伍沙尔古阿牛石古有格阿支子哈莫色打古依火")
YI_FEMALE = _pairs("阿呷阿依金花阿果日者么么阿芝尔日阿西史体阿妞有呷")

TIBETAN_MALE = _pairs("扎西次仁旺堆洛桑多吉平措边巴索朗顿珠泽仁贡布益西次旦罗布")
TIBETAN_FEMALE = _pairs("央金卓玛拉姆德吉白玛曲珍措姆普赤仁增格桑尼珍玉珍")
TIBETAN_ANY = _pairs("达瓦尼玛巴桑普布格桑拉巴次珍")


def han(rng: random.Random, sex: str, surname: str | None = None) -> str:
    pool = HAN_MALE if sex == "M" else HAN_FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return (surname or rng.choice(HAN_SURNAMES)) + given


def yi(rng: random.Random, sex: str, clan: str | None = None) -> str:
    return (clan or rng.choice(YI_CLANS)) + rng.choice(YI_MALE if sex == "M" else YI_FEMALE)


def tibetan(rng: random.Random, sex: str) -> str:
    own = TIBETAN_MALE if sex == "M" else TIBETAN_FEMALE
    return rng.choice(TIBETAN_ANY + own) + rng.choice(own)


def person(rng: random.Random, culture: str, sex: str, family: str | None = None) -> str:
    """A name in the culture's style; `family` is the surname or clan children inherit (Han, Yi)."""
    if culture == "yi":
        return yi(rng, sex, family)
    if culture == "tibetan":
        return tibetan(rng, sex)
    return han(rng, sex, family)


def family_of(name: str, culture: str) -> str | None:
    if culture == "yi":
        return name[:2]
    if culture == "han":
        return name[0]
    return None
