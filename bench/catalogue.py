"""A realistic synthetic vacancy catalogue for the search benchmark.

Titles, descriptions, employers, places, salaries and dates vary the way a regional catalogue does: roles drawn
with a long-tailed frequency per industry, descriptions assembled from duty/requirement/benefit sentences with
domain words, employers spread over the four provinces' cities with the 2018 fair's ownership mix, a few rare
specialities, and a realistic share of closed, expired and pending rows the public must not see.

Rows are written with COPY; each row's ``search_vector`` is built by ``jobs.search.build_document`` over
``jobs.search.document_parts``, the same code path the feed importer and the lifecycle services use.
"""

import random
from datetime import timedelta

from employers.uscc import make_uscc

# role, industry section, relative frequency
ROLES: list[tuple[str, str, int]] = [
    ("软件开发工程师", "I", 60),
    ("Java开发工程师", "I", 50),
    ("Python开发工程师", "I", 30),
    ("前端开发工程师", "I", 40),
    ("后端开发工程师", "I", 30),
    ("C++开发工程师", "I", 20),
    ("测试工程师", "I", 35),
    ("运维工程师", "I", 25),
    ("数据分析师", "I", 30),
    ("算法工程师", "I", 20),
    ("大数据开发工程师", "I", 15),
    ("产品经理", "I", 30),
    ("UI设计师", "I", 20),
    ("嵌入式软件工程师", "I", 20),
    ("网络工程师", "I", 15),
    ("技术支持工程师", "I", 20),
    ("全栈工程师", "I", 10),
    ("Android开发工程师", "I", 10),
    ("iOS开发工程师", "I", 8),
    ("数据库管理员", "I", 6),
    ("信息安全工程师", "I", 8),
    ("机器学习工程师", "I", 10),
    ("机械设计工程师", "C", 40),
    ("机械工程师", "C", 30),
    ("电气工程师", "C", 35),
    ("PLC工程师", "C", 15),
    ("工艺工程师", "C", 30),
    ("质量工程师", "C", 35),
    ("设备维护工程师", "C", 20),
    ("数控操作工", "C", 25),
    ("注塑技术员", "C", 15),
    ("模具设计师", "C", 12),
    ("生产主管", "C", 20),
    ("自动化工程师", "C", 20),
    ("硬件工程师", "C", 20),
    ("结构工程师", "C", 15),
    ("化学分析员", "C", 10),
    ("材料工程师", "C", 10),
    ("半导体工艺工程师", "C", 10),
    ("汽车零部件质量工程师", "C", 8),
    ("焊接工程师", "C", 8),
    ("电子工程师", "C", 20),
    ("普工", "C", 30),
    ("仓储物料员", "C", 10),
    ("会计", "J", 40),
    ("出纳", "J", 20),
    ("财务分析师", "J", 15),
    ("审计助理", "J", 10),
    ("银行柜员", "J", 15),
    ("客户经理", "J", 25),
    ("风险控制专员", "J", 10),
    ("投资分析师", "J", 8),
    ("理财顾问", "J", 10),
    ("保险顾问", "J", 15),
    ("会计助理", "J", 15),
    ("销售代表", "F", 50),
    ("销售经理", "F", 25),
    ("电商运营", "F", 25),
    ("跨境电商运营", "F", 12),
    ("外贸业务员", "F", 20),
    ("采购专员", "F", 15),
    ("店长", "F", 15),
    ("市场营销专员", "F", 20),
    ("新媒体运营", "F", 20),
    ("客服专员", "F", 30),
    ("物流专员", "G", 15),
    ("仓库管理员", "G", 15),
    ("调度员", "G", 8),
    ("供应链专员", "G", 10),
    ("报关员", "G", 6),
    ("土木工程师", "E", 15),
    ("造价工程师", "E", 12),
    ("施工员", "E", 15),
    ("建筑设计师", "E", 10),
    ("给排水工程师", "E", 6),
    ("安全员", "E", 10),
    ("小学语文教师", "P", 10),
    ("中学数学教师", "P", 10),
    ("英语教师", "P", 12),
    ("幼儿教师", "P", 10),
    ("课程顾问", "P", 12),
    ("教务专员", "P", 6),
    ("护士", "Q", 20),
    ("药剂师", "Q", 6),
    ("临床医生", "Q", 8),
    ("医学检验技师", "Q", 5),
    ("康复治疗师", "Q", 5),
    ("医药代表", "Q", 10),
    ("人力资源专员", "L", 25),
    ("招聘专员", "L", 15),
    ("行政助理", "L", 25),
    ("法务专员", "L", 8),
    ("翻译", "L", 6),
    ("管培生", "L", 15),
    ("项目经理", "L", 20),
    ("咨询顾问", "L", 10),
    ("前台文员", "L", 12),
    ("研发工程师", "M", 20),
    ("实验员", "M", 10),
    ("检测工程师", "M", 10),
    ("生物信息分析师", "M", 4),
    ("化学研发员", "M", 6),
    ("文案策划", "R", 10),
    ("视频剪辑师", "R", 10),
    ("记者", "R", 4),
    ("编辑", "R", 8),
    ("平面设计师", "R", 10),
    ("酒店前厅接待", "H", 10),
    ("厨师", "H", 10),
    ("餐饮店长", "H", 6),
    ("物业管理员", "K", 8),
    ("房产经纪人", "K", 12),
    ("环境监测员", "N", 5),
    ("园林设计师", "N", 4),
    ("电力运维工程师", "D", 6),
    ("光伏工程师", "D", 6),
    ("农艺师", "A", 3),
    ("地质勘探工程师", "B", 2),
    ("社会工作者", "S", 4),
    ("公务辅助岗", "S", 3),
    ("社区工作者", "O", 3),
    # rare specialities: the "rare query" of the benchmark
    ("文物修复师", "R", 1),
    ("古籍修复师", "R", 1),
    ("潜水员", "N", 1),
    ("调香师", "C", 1),
    ("水下机器人工程师", "C", 1),
    ("风洞试验工程师", "M", 1),
]
PREFIXES = [("", 60), ("高级", 8), ("资深", 5), ("初级", 6), ("储备", 3), ("助理", 3), ("实习", 5), ("驻场", 2)]
SUFFIXES = [
    ("", 70),
    ("（2026届校招）", 8),
    ("（实习生）", 4),
    ("（可接受应届生）", 6),
    ("（急聘）", 4),
    ("（双休）", 4),
]

DOMAIN_WORDS = {
    "I": [
        "微服务",
        "分布式系统",
        "Spring",
        "Boot",
        "MySQL",
        "Redis",
        "Kafka",
        "Linux",
        "Docker",
        "Kubernetes",
        "Vue",
        "React",
        "TypeScript",
        "接口",
        "数据库",
        "云平台",
        "人工智能",
        "大模型",
        "小程序",
        "SaaS",
        "支付系统",
        "推荐系统",
        "数据仓库",
        "性能优化",
        "自动化测试",
        "Git",
        "敏捷开发",
        "Go",
    ],
    "C": [
        "数控机床",
        "PLC",
        "伺服电机",
        "液压系统",
        "CAD",
        "SolidWorks",
        "模具",
        "注塑",
        "冲压",
        "钣金",
        "装配线",
        "六西格玛",
        "精益生产",
        "ISO9001",
        "新能源汽车",
        "锂电池",
        "半导体",
        "芯片",
        "传感器",
        "工业机器人",
        "自动化产线",
        "质量体系",
        "FMEA",
        "8D报告",
        "设备点检",
        "工装夹具",
    ],
    "J": [
        "财务报表",
        "总账",
        "税务申报",
        "成本核算",
        "应收应付",
        "银行对账",
        "审计底稿",
        "资金管理",
        "信贷业务",
        "风险评估",
        "理财产品",
        "保险产品",
        "金蝶",
        "用友",
        "SAP",
        "Excel",
        "预算管理",
        "内控制度",
        "CPA",
    ],
    "F": [
        "客户开发",
        "渠道拓展",
        "销售目标",
        "天猫",
        "京东",
        "抖音电商",
        "直播带货",
        "亚马逊",
        "独立站",
        "外贸订单",
        "客户关系",
        "市场调研",
        "品牌推广",
        "活动策划",
        "门店运营",
        "会员营销",
        "数据复盘",
        "选品",
        "供应商管理",
    ],
    "G": [
        "仓储管理",
        "WMS",
        "配送路线",
        "冷链",
        "报关单",
        "进出口",
        "供应链",
        "库存盘点",
        "运输调度",
        "叉车",
        "物流园区",
        "快递分拣",
    ],
    "E": [
        "施工图",
        "BIM",
        "工程造价",
        "预算",
        "结算",
        "施工管理",
        "安全生产",
        "建筑设计",
        "AutoCAD",
        "广联达",
        "给排水",
        "暖通",
        "监理",
        "竣工验收",
    ],
    "P": [
        "课堂教学",
        "教案",
        "家校沟通",
        "班主任",
        "课程设计",
        "教学研究",
        "教师资格证",
        "普通话",
        "学情分析",
        "课后服务",
    ],
    "Q": ["护理", "病房", "临床", "药品", "检验", "康复训练", "医保", "护士执业证", "医疗器械", "学术推广", "门诊"],
    "L": [
        "招聘",
        "培训",
        "薪酬绩效",
        "员工关系",
        "劳动合同",
        "行政事务",
        "合同审核",
        "法律咨询",
        "会议组织",
        "项目管理",
        "PMP",
        "咨询报告",
        "翻译",
        "日语",
        "英语",
    ],
    "M": [
        "实验设计",
        "检测报告",
        "研发项目",
        "专利",
        "样品分析",
        "色谱",
        "质谱",
        "生物信息",
        "基因测序",
        "新材料",
        "中试放大",
    ],
    "R": [
        "文案",
        "短视频",
        "剪辑",
        "Premiere",
        "采访",
        "编辑",
        "排版",
        "平面设计",
        "Photoshop",
        "品牌视觉",
        "文物",
        "古籍",
        "修复",
    ],
    "H": ["前厅接待", "客房", "餐饮服务", "菜品研发", "食品安全", "门店管理"],
    "K": ["物业服务", "房源", "客户带看", "租赁", "社区管理"],
    "N": ["环境监测", "水质检测", "园林景观", "生态修复", "潜水作业"],
    "D": ["电力系统", "变电站", "光伏电站", "储能", "运维巡检", "电网"],
    "A": ["种植", "农业技术", "育种", "农产品"],
    "B": ["地质勘探", "矿产", "测绘"],
    "S": ["社区服务", "社会工作", "志愿服务", "居民事务"],
    "O": ["社区服务", "基层治理", "便民服务"],
}
ACTIVITIES = [
    "设计",
    "开发",
    "维护",
    "优化",
    "测试",
    "实施",
    "推进",
    "管理",
    "分析",
    "跟进",
    "协调",
    "支持",
    "改进",
    "评审",
    "编写",
    "执行",
    "落地",
    "统计",
    "整理",
    "审核",
]
DUTY_TEMPLATES = [
    "负责{w1}相关工作的{a1}与{a2}",
    "参与{w1}和{w2}的{a1}，保证按期交付",
    "根据业务需求{a1}{w1}方案，并{a2}实施效果",
    "配合团队完成{w1}、{w2}等日常工作",
    "{a1}部门的{w1}流程，持续{a2}工作质量",
    "与客户及相关部门沟通，{a1}{w1}问题",
    "编写{w1}相关文档，{a2}{w2}资料",
    "完成上级交办的其他{w1}工作",
]
REQUIREMENT_TEMPLATES = [
    "{edu}及以上学历，{major}等相关专业",
    "熟悉{w1}，了解{w2}者优先",
    "具备良好的沟通能力和团队合作精神",
    "有{w1}相关实习或项目经验者优先",
    "责任心强，学习能力强，能适应{pace}的工作节奏",
    "能熟练使用{w1}和{w2}",
    "欢迎{cohort}届应届毕业生投递",
]
MAJORS = [
    "计算机",
    "软件工程",
    "电子信息",
    "自动化",
    "机械工程",
    "材料",
    "化学",
    "会计",
    "金融",
    "经济学",
    "市场营销",
    "国际贸易",
    "物流管理",
    "土木工程",
    "汉语言文学",
    "英语",
    "教育学",
    "护理学",
    "药学",
    "法学",
    "人力资源管理",
    "新闻传播",
    "设计学",
    "环境工程",
    "电气工程",
]
BENEFITS = [
    "五险一金",
    "带薪年假",
    "年终奖",
    "周末双休",
    "弹性工作",
    "餐补",
    "交通补贴",
    "包吃住",
    "定期体检",
    "节日福利",
    "股票期权",
    "十三薪",
    "人才公寓",
    "落户",
    "免费班车",
    "员工旅游",
    "专业培训",
    "晋升空间",
]
EDU_NAMES = ["学历不限", "中专", "大专", "本科", "硕士", "博士"]
COMPANY_WORDS = [
    "华",
    "瑞",
    "恒",
    "泰",
    "安",
    "信",
    "达",
    "鑫",
    "博",
    "创",
    "盛",
    "宏",
    "远",
    "新",
    "智",
    "联",
    "通",
    "汇",
    "嘉",
    "德",
    "源",
    "诚",
    "丰",
    "凯",
    "科",
    "锐",
    "天",
    "星",
    "辰",
    "海",
    "江",
    "湖",
    "峰",
    "云",
    "宇",
    "晨",
    "阳",
    "光",
    "明",
    "正",
    "和",
    "永",
    "昌",
    "隆",
    "兴",
    "富",
    "美",
    "优",
    "捷",
    "迅",
    "元",
    "启",
    "航",
    "卓",
    "越",
    "精",
    "工",
    "睿",
    "思",
]
COMPANY_KINDS = {
    "I": ["软件", "信息技术", "网络科技", "数据科技", "智能科技"],
    "C": ["机械", "精密制造", "电子", "汽车零部件", "新材料", "装备"],
    "J": ["银行", "证券", "保险", "投资管理", "会计师事务所"],
    "F": ["贸易", "电子商务", "商贸", "进出口"],
    "G": ["物流", "供应链管理", "运输"],
    "E": ["建设工程", "建筑设计院", "工程咨询"],
    "P": ["教育科技", "培训学校", "实验学校"],
    "Q": ["医疗", "医药", "健康管理"],
    "L": ["人力资源", "企业管理咨询", "商务服务"],
    "M": ["检测技术", "生物科技", "研究院"],
    "R": ["文化传媒", "广告", "文化遗产保护"],
}
PROVINCE_WEIGHTS = {"310000": 35, "320000": 30, "330000": 25, "340000": 10}
OWNERSHIP = [("state", 227), ("private", 601), ("foreign", 172)]
EDUCATION_WEIGHTS = [(0, 10), (1, 5), (2, 20), (3, 45), (4, 15), (5, 5)]
TYPE_WEIGHTS = [("full_time", 75), ("internship", 10), ("part_time", 3), ("campus", 12)]


def _weighted(pairs):
    values = [p[0] for p in pairs]
    weights = [p[-1] for p in pairs]
    return values, weights


class Catalogue:
    """Deterministic generator (seeded) of employers and vacancies."""

    def __init__(self, *, cities: list[tuple[str, str, str]], industries: dict[str, str], seed: int = 2018):
        self.rng = random.Random(seed)
        self.cities = cities  # (city code, city name, province code/name "310000:上海市")
        self.by_province: dict[str, list[tuple[str, str, str]]] = {}
        for city in cities:
            self.by_province.setdefault(city[2].split(":")[0], []).append(city)
        self.industries = industries
        self.roles_by_industry: dict[str, list[tuple[str, str, int]]] = {}
        for role in ROLES:
            self.roles_by_industry.setdefault(role[1], []).append(role)

    def choose(self, pairs):
        values, weights = _weighted(pairs)
        return self.rng.choices(values, weights)[0]

    def employer(self, serial: int) -> dict:
        rng = self.rng
        province = self.choose(list(PROVINCE_WEIGHTS.items()))
        city = rng.choice(self.by_province[province])
        industry = self.choose([(r[1], r[2]) for r in ROLES])
        kind = rng.choice(COMPANY_KINDS.get(industry, ["实业", "服务"]))
        brand = "".join(rng.sample(COMPANY_WORDS, 2))
        suffix = "有限公司" if not kind.endswith(("院", "学校", "所", "银行")) else ""
        name = f"{city[1].removesuffix('市').removesuffix('区')}{brand}{kind}{suffix}"
        roll = rng.random()
        state = "verified" if roll < 0.95 else "pending"
        return {
            "name": name,
            "uscc": make_uscc(division=city[0], serial=f"{serial:09d}"),
            "ownership": self.choose(OWNERSHIP),
            "industry_id": industry,
            "city_id": city[0],
            "province": province,
            "verification_state": state,
            # pending employers: 60% centre-imported (visible), 40% not yet verified (hidden)
            "source_centre": state == "pending" and roll < 0.98,
        }

    def job(self, employer: dict, now, fair_ids: list[int]) -> dict:
        rng = self.rng
        if rng.random() < 0.7 and employer["industry_id"] in self.roles_by_industry:
            pool = self.roles_by_industry[employer["industry_id"]]
        else:
            pool = ROLES
        role, industry, _ = rng.choices(pool, [r[2] for r in pool])[0]
        title = f"{self.choose(PREFIXES)}{role}{self.choose(SUFFIXES)}"
        if rng.random() < 0.8:
            city_code = employer["city_id"]
        else:
            city_code = rng.choice(self.by_province[employer["province"]])[0]
        words = DOMAIN_WORDS.get(industry, DOMAIN_WORDS["L"])
        education = self.choose(EDUCATION_WEIGHTS)
        cohort = 2026 if rng.random() < 0.6 else 2025

        def fill(template: str) -> str:
            return template.format(
                w1=rng.choice(words),
                w2=rng.choice(words),
                a1=rng.choice(ACTIVITIES),
                a2=rng.choice(ACTIVITIES),
                edu=EDU_NAMES[max(education, 2)],
                major="、".join(rng.sample(MAJORS, 2)),
                pace=rng.choice(["快速", "稳定", "多项目并行"]),
                cohort=cohort,
            )

        duties = [f"{i + 1}. {fill(t)}；" for i, t in enumerate(rng.sample(DUTY_TEMPLATES, rng.randint(3, 6)))]
        requirements = [
            f"{i + 1}. {fill(t)}；" for i, t in enumerate(rng.sample(REQUIREMENT_TEMPLATES, rng.randint(3, 5)))
        ]
        benefits = rng.sample(BENEFITS, rng.randint(2, 6))
        description = "\n".join(
            ["岗位职责：", *duties, "任职要求：", *requirements, "福利待遇：" + "、".join(benefits) + "。"]
        )
        salary_roll = rng.random()
        salary_min = salary_max = None
        months, negotiable = 12, False
        if salary_roll < 0.15:
            negotiable = True
        else:
            base = rng.choice([3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 18, 20, 25, 30]) * 1000
            salary_min = base
            salary_max = None if salary_roll < 0.2 else base + rng.choice([1, 2, 3, 4, 5, 8, 10]) * 1000
            months = rng.choice([12, 12, 12, 13, 14, 15, 16])
        employment_type = self.choose(TYPE_WEIGHTS)
        published_at = now - timedelta(seconds=rng.randint(0, 75 * 86400))
        valid_through = published_at + timedelta(days=60)
        status_roll = rng.random()
        status = "published"
        if status_roll < 0.03:
            status = "closed"
        elif status_roll < 0.05:
            status = "pending"
        return {
            "employer_id": employer["id"],
            "title": title,
            "description": description,
            "city_id": city_code,
            "industry_id": industry,
            "category": role,
            "tags": " ".join(benefits[:4]),
            "employment_type": employment_type,
            "education": education,
            "experience": self.choose([(0, 50), (1, 25), (3, 15), (5, 8), (10, 2)]),
            "headcount": rng.randint(1, 20),
            "salary_min": salary_min,
            "salary_max": salary_max,
            "salary_months": months,
            "salary_negotiable": negotiable,
            "fresh_graduate": employment_type == "campus" or rng.random() < 0.3,
            "cohort": cohort if employment_type == "campus" else None,
            "status": status,
            "published_at": published_at if status != "pending" else None,
            "valid_through": valid_through if status != "pending" else None,
            "fair_id": rng.choice(fair_ids) if fair_ids and rng.random() < 0.05 else None,
        }
