"""Word lists for the sample workspace's world (see ``sample_world.py``).

Kept apart from the generator so the code stays readable. Everything here is
fictional: Ahoy (@ahoyhq) makes preview environments for pull requests, and
the people are combinations of common names, not real accounts.

Templates use ``{slots}`` that the generator fills; ``{me}`` is the account's
handle, ``{member}`` a community member's handle (both without ``@``).
"""

from __future__ import annotations

# --- the account ------------------------------------------------------------

ME = {
    "name": "Ahoy",
    "username": "ahoyhq",
    "created_at": "2019-06-11T09:14:27.000Z",
    "description": (
        "Preview environments for every pull request. Open-source CLI, hosted or "
        "self-hosted. Docs, changelog & community below. Help: #ahoyhelp ⚓"
    ),
    "location": "Lisbon · remote",
    "website": "https://ahoy.dev",
    "public_metrics": {
        "followers_count": 5647,
        "following_count": 412,
        "tweet_count": 3184,
        "listed_count": 96,
        "like_count": 2871,
    },
}

FEATURES = [
    "branch databases",
    "seeded DB snapshots",
    "sleep mode for idle previews",
    "custom preview domains",
    "GitLab merge request support",
    "Forgejo support",
    "the Terraform provider",
    "the VS Code extension",
    "Docker Compose import",
    "secrets sync",
    "monorepo path filters",
    "ARM runners",
    "SSO with Okta",
    "the audit log",
    "preview comments on PRs",
    "the cost dashboard",
    "shareable preview links",
    "the Helm chart",
    "per-preview log streaming",
    "Bitbucket support",
    "scheduled previews",
    "GPU previews (beta)",
]

FIXES = [
    "a fix for previews stuck in 'provisioning'",
    "faster cold starts (p50 down 38%)",
    "no more duplicate PR comments",
    "clearer errors when ahoy.yml is invalid",
    "Windows path fixes",
    "lower memory use in the agent",
    "retries for flaky webhook deliveries",
    "a fix for expired share links returning 500",
]

CITIES = [
    "Berlin",
    "Lisbon",
    "São Paulo",
    "Tokyo",
    "Bengaluru",
    "Toronto",
    "Kraków",
    "Mexico City",
    "Lagos",
    "Seoul",
    "Amsterdam",
    "Austin",
    "Singapore",
    "Nairobi",
]

CONFERENCES = [
    "KubeCon EU",
    "DevOpsDays Amsterdam",
    "PlatformCon",
    "GopherCon",
    "RustConf",
    "JSNation",
    "SRECon",
    "Config Management Camp",
    "ShipItConf",
    "DevRelCon",
]

COMPANIES = [
    "Kestrel CI",
    "Tidewater",
    "Lantern",
    "Brightloom",
    "Quillstack",
    "Parcelpost",
    "Mosaic Health",
    "Loopwork",
    "Fathom Cloud",
    "Cobalt Labs",
    "Jetty",
    "Beacon Bank",
]

# (name, username, description, website) of organisations in the world.
ORGS = [
    (
        "Kestrel CI",
        "kestrelci",
        "Fast, boring CI for teams that ship. Status: status.kestrel.ci",
        "https://kestrel.ci",
        "business",
    ),
    ("Tidewater", "tidewaterdb", "Serverless Postgres that branches like git. 🌊", "https://tidewater.dev", "business"),
    (
        "Lantern",
        "lanternobs",
        "Observability that doesn't need a PhD. OpenTelemetry native.",
        "https://lantern.sh",
        "business",
    ),
    (
        "Brightloom",
        "brightloomhq",
        "Feature flags & experiments for product teams.",
        "https://brightloom.io",
        "business",
    ),
    ("Quillstack", "quillstack", "Docs-as-code for developer platforms ✍️", "https://quillstack.com", "business"),
    (
        "ShipItConf",
        "shipitconf",
        "The conference about getting code to production. Next edition: Lisbon, May. #ShipItConf",
        "https://shipitconf.dev",
        "business",
    ),
    (
        "Civic Digital Service",
        "civicdigital",
        "Building public services people can actually use. Official account.",
        "https://digital.civic.example.gov",
        "government",
    ),
]

def _given(text: str) -> list[tuple[str, str, str]]:
    """ "José m, María f" -> [(native, roman, gender)]; non-Latin ones give both: "翔太 Shota m"."""
    out = []
    for item in text.split(", "):
        *names, gender = item.split()
        out.append((names[0], names[-1], gender))
    return out


def _family(text: str) -> list[tuple[str, ...]]:
    """ "García, De Luca" -> [(native, roman)]; "佐藤/Sato"; gendered: "Novák/Novak/Nováková/Novakova"."""
    out: list[tuple[str, ...]] = []
    for item in text.split(", "):
        parts = tuple(item.split("/"))
        out.append(parts if len(parts) > 1 else (item, item))
    return out


# --- people -----------------------------------------------------------------
# Each culture: weight (share of people), lang (X's code: Hebrew is "iw",
# Indonesian "in"), native (chance a post is in that language, else English),
# script (chance the display name uses the native script, for non-Latin ones),
# given [(native, roman, gender)], family [(native, roman)] or gendered
# [(m native, m roman, f native, f roman)], order ("gf" or "fg"), sep.

CULTURES: dict[str, dict] = {
    "en": {
        "weight": 20, "lang": "en", "native": 1.0, "flag": "🇺🇸",
        "given": _given(
            "James m, Olivia f, Liam m, Emma f, Noah m, Ava f, Ethan m, Sophie f, Jack m, Grace f, Ryan m, Chloe f, "
            "Daniel m, Hannah f, Sam m, Megan f, Alex m, Jordan f, Taylor f, Chris m, Katie f, Ben m, Rachel f, Tom m, "
            "Laura f, Nate m, Erin f, Marcus m, Jess f, Kyle m, Dana f, Owen m, Maddie f, Caleb m, Brooke f"
        ),
        "family": _family(
            "Smith, Johnson, Walker, Reed, Brooks, Carter, Hughes, Bennett, Foster, Murphy, O'Brien, Sullivan, Clarke, "
            "Turner, Price, Hayes, Ward, Fletcher, Lawson, Palmer, Nguyen, Patel, Kim, Garcia, Coleman, Russo, "
            "Whitaker, McAllister, Donovan, Ellis"
        ),
        "locations": [
            "San Francisco, CA", "Brooklyn, NY", "Austin, TX", "Seattle, WA", "Portland, OR", "Chicago, IL",
            "Denver, CO", "London", "Manchester, England", "Dublin, Ireland", "Toronto, Ontario", "Vancouver, BC",
            "Sydney, Australia", "Melbourne", "Boston, MA", "Raleigh, NC", "Edinburgh, Scotland",
            "Auckland, New Zealand",
        ],
    },
    "de": {
        "weight": 6, "lang": "de", "native": 0.3, "flag": "🇩🇪",
        "given": _given(
            "Jürgen m, Lukas m, Leonie f, Jonas m, Mia f, Felix m, Lena f, Maximilian m, Anja f, Tobias m, Björn m, "
            "Sören m, Jörg m, Katrin f, Hannes m, Jana f, Ulrike f, Moritz m"
        ),
        "family": _family(
            "Müller, Schröder, Weiß, Groß, Köhler, Krämer, Hoffmann, Schäfer, Vogel, Wagner, Fischer, Lehmann, Braun, "
            "Böhm, Hübner, Zimmermann"
        ),
        "locations": ["Berlin", "München", "Hamburg", "Köln", "Leipzig", "Wien", "Zürich", "Karlsruhe", "Deutschland"],
    },
    "fr": {
        "weight": 5, "lang": "fr", "native": 0.45, "flag": "🇫🇷",
        "given": _given(
            "Amélie f, Théo m, Chloé f, Hélène f, Léa f, Joël m, Françoise f, Mathis m, Clément m, Élodie f, Inès f, "
            "Zoé f, Loïc m, Maxime m, Benoît m, Gaëlle f"
        ),
        "family": _family(
            "Lefèvre, Girard, Dubois, Moreau, Rousseau, Fontaine, Lemaître, Bélanger, Garnier, Chevalier, Faure, "
            "Mercier, Gauthier, Perrin"
        ),
        "locations": ["Paris", "Lyon, France", "Montréal, QC", "Bordeaux", "Nantes", "Toulouse", "Bruxelles", "Genève"],
    },
    "es": {
        "weight": 8, "lang": "es", "native": 0.6, "flag": "🇲🇽",
        "given": _given(
            "José m, María f, Sofía f, Nicolás m, Lucía f, Martín m, Álvaro m, Andrés m, Camila f, Joaquín m, Valentina "
            "f, Ramón m, Inés f, Sebastián m, Ximena f, Mateo m, Renata f, Iñaki m"
        ),
        "family": _family(
            "García, Rodríguez, Martínez, López, González, Pérez, Sánchez, Ramírez, Hernández, Núñez, Jiménez, Muñoz, "
            "Ibáñez, Peña, Castillo, Ortega, Vargas, Echeverría"
        ),
        "locations": [
            "Ciudad de México", "Madrid", "Barcelona", "Buenos Aires", "Bogotá, Colombia", "Medellín",
            "Santiago, Chile", "Lima, Perú", "Montevideo", "Valencia, España", "Guadalajara, Jalisco",
        ],
    },
    "pt": {
        "weight": 7, "lang": "pt", "native": 0.65, "flag": "🇧🇷",
        "given": _given(
            "João m, Ana f, Gabriel m, Luísa f, Thiago m, Júlia f, Lucas m, Beatriz f, Felipe m, Larissa f, Caio m, "
            "Letícia f, Vinícius m, Mariana f, Rafael m, Bárbara f"
        ),
        "family": _family(
            "Silva, Santos, Oliveira, Souza, Conceição, Gonçalves, Araújo, Magalhães, Nascimento, Assunção, Lima, "
            "Ribeiro, Carvalho, Brandão"
        ),
        "locations": [
            "São Paulo, Brasil", "Rio de Janeiro", "Belo Horizonte", "Florianópolis", "Porto Alegre", "Recife",
            "Curitiba", "Lisboa, Portugal", "Porto", "Brasil",
        ],
    },
    "it": {
        "weight": 2, "lang": "it", "native": 0.4, "flag": "🇮🇹",
        "given": _given("Giulia f, Matteo m, Francesca f, Lorenzo m, Niccolò m, Chiara f, Alessandro m, Martina f"),
        "family": _family("Rossi, Bianchi, Esposito, Ricci, Romano, Colombo, De Luca, Marchetti"),
        "locations": ["Milano", "Roma", "Torino", "Bologna", "Napoli"],
    },
    "nl": {
        "weight": 2, "lang": "nl", "native": 0.25, "flag": "🇳🇱",
        "given": _given("Daan m, Sanne f, Bram m, Fleur f, Joris m, Anouk f"),
        "family": _family("de Vries, van Dijk, Jansen, Bakker, Visser, van den Berg, Smit"),
        "locations": ["Amsterdam", "Utrecht", "Rotterdam", "Eindhoven", "Gent"],
    },
    "pl": {
        "weight": 3, "lang": "pl", "native": 0.35, "flag": "🇵🇱",
        "given": _given(
            "Łukasz m, Małgorzata f, Paweł m, Zofia f, Michał m, Agnieszka f, Wojciech m, Katarzyna f, Bartłomiej m, "
            "Ewa f"
        ),
        "family": _family(
            "Kowalski/Kowalski/Kowalska/Kowalska, Wiśniewski/Wisniewski/Wiśniewska/Wisniewska, "
            "Wójcik/Wojcik/Wójcik/Wojcik, Kamiński/Kaminski/Kamińska/Kaminska, Zieliński/Zielinski/Zielińska/Zielinska, "
            "Dąbrowski/Dabrowski/Dąbrowska/Dabrowska, Woźniak/Wozniak/Woźniak/Wozniak, "
            "Kozłowski/Kozlowski/Kozłowska/Kozlowska"
        ),
        "locations": ["Kraków", "Warszawa", "Wrocław", "Gdańsk", "Poznań", "Łódź"],
    },
    "cs": {
        "weight": 1, "lang": "cs", "native": 0.3, "flag": "🇨🇿",
        "given": _given("Tomáš m, Jiří m, Petra f, Lukáš m, Kateřina f, Ondřej m, Zuzana f"),
        "family": _family(
            "Novák/Novak/Nováková/Novakova, Dvořák/Dvorak/Dvořáková/Dvorakova, Černý/Cerny/Černá/Cerna, "
            "Procházka/Prochazka/Procházková/Prochazkova, Kučera/Kucera/Kučerová/Kucerova"
        ),
        "locations": ["Praha", "Brno", "Bratislava", "Ostrava"],
    },
    "sv": {
        "weight": 2, "lang": "sv", "native": 0.2, "flag": "🇸🇪",
        "given": _given("Åsa f, Björn m, Søren m, Ingrid f, Mikael m, Linnéa f, Øystein m, Märta f, Henrik m, Freja f"),
        "family": _family("Lindqvist, Sørensen, Åberg, Nyström, Halvorsen, Johansson, Bjørnstad, Eriksson, Löfgren"),
        "locations": ["Stockholm", "Göteborg", "København", "Oslo", "Malmö", "Helsinki", "Aarhus"],
    },
    "tr": {
        "weight": 2, "lang": "tr", "native": 0.45, "flag": "🇹🇷",
        "given": _given("Çağrı m, Şebnem f, Gökhan m, Ayşe f, Emre m, Zeynep f, Barış m, Ömer m, İrem f, Elif f"),
        "family": _family("Yılmaz, Kaya, Demir, Şahin, Çelik, Öztürk, Aydın, Doğan"),
        "locations": ["İstanbul", "Ankara", "İzmir", "Türkiye"],
    },
    "vi": {
        "weight": 2, "lang": "vi", "native": 0.4, "order": "fg", "flag": "🇻🇳",
        "given": _given("Minh m, Thảo f, Đức m, Hương f, Quang m, Linh f, Tuấn m, Phương f"),
        "family": _family("Nguyễn, Trần, Lê, Phạm, Hoàng, Võ, Đặng"),
        "locations": ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Sài Gòn"],
    },
    "id": {
        "weight": 3, "lang": "in", "native": 0.45, "flag": "🇮🇩",
        "given": _given("Budi m, Siti f, Agus m, Dewi f, Rizky m, Putri f, Andi m, Ayu f, Fajar m"),
        "family": _family("Santoso, Wijaya, Pratama, Saputra, Hidayat, Kusuma, Nugroho"),
        "locations": ["Jakarta", "Bandung", "Yogyakarta", "Surabaya", "Indonesia", "Kuala Lumpur"],
    },
    "africa": {
        "weight": 5, "lang": "en", "native": 1.0, "flag": "🇳🇬",
        "given": _given(
            "Chinedu m, Ngozi f, Tunde m, Amara f, Kwame m, Wanjiru f, Kofi m, Zainab f, Emeka m, Aisha f, Otieno m, "
            "Folake f, Sipho m, Thandiwe f"
        ),
        "family": _family("Okafor, Adeyemi, Mensah, Mwangi, Okonkwo, Balogun, Kamau, Owusu, Eze, Achieng, Ndlovu, Adebayo"),
        "locations": [
            "Lagos, Nigeria", "Nairobi, Kenya", "Accra, Ghana", "Abuja", "Kigali, Rwanda", "Cape Town",
            "Johannesburg, South Africa", "Kampala",
        ],
    },
    "in": {
        "weight": 11, "lang": "hi", "native": 0.12, "script": 0.25, "flag": "🇮🇳",
        "given": _given(
            "प्रिया Priya f, अर्जुन Arjun m, रोहन Rohan m, अनन्या Ananya f, विक्रम Vikram m, स्नेहा Sneha f, आदित्य "
            "Aditya m, काव्या Kavya f, राहुल Rahul m, दिव्या Divya f, कार्तिक Karthik m, मीरा Meera f, सिद्धार्थ "
            "Siddharth m, पूजा Pooja f, अमित Amit m, नेहा Neha f"
        ),
        "family": _family(
            "शर्मा/Sharma, अय्यर/Iyer, रेड्डी/Reddy, नायर/Nair, गुप्ता/Gupta, मेनन/Menon, पटेल/Patel, राव/Rao, "
            "कुलकर्णी/Kulkarni, बनर्जी/Banerjee, कृष्णन/Krishnan, सिंह/Singh, जोशी/Joshi, वर्मा/Verma"
        ),
        "locations": [
            "Bengaluru, India", "Bangalore", "Hyderabad", "Pune, India", "Chennai", "Mumbai", "New Delhi, India",
            "Kochi, Kerala", "Gurgaon",
        ],
    },
    "ja": {
        "weight": 8, "lang": "ja", "native": 0.8, "script": 0.75, "order": "fg", "sep": " ", "flag": "🇯🇵",
        "given": _given(
            "翔太 Shota m, 陽菜 Hina f, 健 Ken m, 美咲 Misaki f, 大輔 Daisuke m, 結衣 Yui f, 拓海 Takumi m, さくら Sakura f, 悠真 Yuma m, "
            "葵 Aoi f, 蓮 Ren m, 真央 Mao f, 亮 Ryo m, 由美 Yumi f, 直樹 Naoki m, 千尋 Chihiro f"
        ),
        "family": _family(
            "佐藤/Sato, 鈴木/Suzuki, 高橋/Takahashi, 田中/Tanaka, 渡辺/Watanabe, 伊藤/Ito, 山本/Yamamoto, 中村/Nakamura, 小林/Kobayashi, "
            "加藤/Kato, 吉田/Yoshida, 山田/Yamada, 松本/Matsumoto, 井上/Inoue, 木村/Kimura"
        ),
        # In the same order as "given": the name a friend would call them.
        "nicknames_follow_given": True,
        "nicknames": [
            "しょうた", "ひな", "けん", "みさき", "だいすけ", "ゆい", "たくみ", "さくら", "ゆうま", "あおい", "れん", "まお", "りょう", "ゆみ", "なおき",
            "ちひろ",
        ],
        "nick_tags": ["@Go書く人", " | SRE", "@個人開発", "🍵", "🐈", " | インフラ屋", "@Rust勉強中", " / フロントエンド", "⛺", ""],
        "locations": ["東京", "Tokyo, Japan", "大阪", "福岡", "京都", "札幌", "名古屋", "神奈川", "日本"],
    },
    "zh": {
        "weight": 5, "lang": "zh", "native": 0.55, "script": 0.6, "order": "fg", "sep": "", "flag": "🇨🇳",
        "given": _given(
            "伟 Wei m, 芳 Fang f, 静 Jing f, 磊 Lei m, 洋 Yang m, 婷 Ting f, 浩然 Haoran m, 子涵 Zihan f, 欣怡 Xinyi f, 宇轩 Yuxuan "
            "m, 思远 Siyuan m, 佳琪 Jiaqi f, 志明 Zhiming m"
        ),
        "family": _family("王/Wang, 李/Li, 张/Zhang, 刘/Liu, 陈/Chen, 杨/Yang, 黄/Huang, 赵/Zhao, 吴/Wu, 周/Zhou, 林/Lin, 郭/Guo"),
        "locations": ["上海", "北京", "深圳", "杭州", "台北", "香港", "Shanghai, China", "Singapore"],
    },
    "ko": {
        "weight": 4, "lang": "ko", "native": 0.7, "script": 0.6, "order": "fg", "sep": "", "flag": "🇰🇷",
        "given": _given(
            "민준 Minjun m, 서연 Seoyeon f, 지훈 Jihoon m, 하은 Haeun f, 도윤 Doyun m, 수아 Sua f, 현우 Hyunwoo m, 지민 Jimin f, 예린 "
            "Yerin f, 태현 Taehyun m"
        ),
        "family": _family("김/Kim, 이/Lee, 박/Park, 최/Choi, 정/Jung, 강/Kang, 조/Cho, 윤/Yoon, 장/Jang, 임/Lim"),
        "locations": ["서울", "Seoul, Korea", "판교", "부산", "대한민국"],
    },
    "ar": {
        "weight": 4, "lang": "ar", "native": 0.5, "script": 0.5, "flag": "🇸🇦",
        "given": _given(
            "محمد Mohammed m, أحمد Ahmed m, فاطمة Fatima f, عمر Omar m, ليلى Layla f, يوسف Youssef m, نور Nour f, خالد "
            "Khaled m, سارة Sara f, مريم Mariam f, علي Ali m, رنا Rana f"
        ),
        "family": _family(
            "العتيبي/Alotaibi, الحربي/Alharbi, حداد/Haddad, منصور/Mansour, الشمري/Alshammari, خوري/Khoury, "
            "النجار/Alnajjar, سليمان/Soliman"
        ),
        "locations": [
            "الرياض", "Riyadh", "دبي", "Dubai, UAE", "القاهرة", "Cairo, Egypt", "عمّان", "Amman, Jordan",
            "Casablanca", "Beirut",
        ],
    },
    "he": {
        "weight": 2, "lang": "iw", "native": 0.4, "script": 0.5, "flag": "🇮🇱",
        "given": _given(
            "נועה Noa f, יונתן Yonatan m, תמר Tamar f, איתי Itay m, מאיה Maya f, אורי Uri m, שירה Shira f, דניאל Daniel "
            "m, רוני Roni f"
        ),
        "family": _family("כהן/Cohen, לוי/Levi, מזרחי/Mizrahi, פרץ/Peretz, ביטון/Biton, אברהם/Avraham, פרידמן/Friedman, שפירא/Shapira"),
        "locations": ["תל אביב", "Tel Aviv", "חיפה", "ירושלים", "Israel"],
    },
    "ru": {
        "weight": 4, "lang": "ru", "native": 0.6, "script": 0.6, "flag": "",
        "given": _given(
            "Алексей Alexey m, Дмитрий Dmitry m, Анна Anna f, Мария Maria f, Сергей Sergey m, Екатерина Ekaterina f, "
            "Иван Ivan m, Ольга Olga f, Никита Nikita m, Тимур Timur m, Дарья Darya f"
        ),
        "family": _family(
            "Соколов/Sokolov/Соколова/Sokolova, Кузнецов/Kuznetsov/Кузнецова/Kuznetsova, Попов/Popov/Попова/Popova, "
            "Волков/Volkov/Волкова/Volkova, Морозов/Morozov/Морозова/Morozova, Лебедев/Lebedev/Лебедева/Lebedeva"
        ),
        "locations": ["Москва", "Санкт-Петербург", "Новосибирск", "Алматы", "Тбилиси", "Белград", "Limassol, Cyprus"],
    },
    "uk": {
        "weight": 2, "lang": "uk", "native": 0.5, "script": 0.6, "flag": "🇺🇦",
        "given": _given(
            "Олександр Oleksandr m, Оксана Oksana f, Андрій Andriy m, Ярослава Yaroslava f, Богдан Bohdan m, Ірина "
            "Iryna f"
        ),
        "family": _family("Шевченко/Shevchenko, Коваленко/Kovalenko, Бондаренко/Bondarenko, Ткаченко/Tkachenko, Кравчук/Kravchuk"),
        "locations": ["Київ", "Kyiv, Ukraine", "Львів", "Харків", "Одеса"],
    },
    "th": {
        "weight": 2, "lang": "th", "native": 0.6, "script": 0.55, "flag": "🇹🇭",
        "given": _given(
            "สมชาย Somchai m, สุดา Suda f, ณัฐพล Nattaphon m, พิมพ์ชนก Pimchanok f, กิตติ Kitti m, อรุณี Arunee f, "
            "ธนากร Thanakorn m, ปิยะ Piya m"
        ),
        "family": _family("ศรีสุข/Srisuk, วงศ์สวัสดิ์/Wongsawat, แก้วมณี/Kaewmanee, ทองดี/Thongdee, จันทร์เพ็ญ/Chanpen"),
        # Thai nicknames have nothing to do with the given name.
        "nicknames": ["ต้น", "แนน", "บอส", "มิ้นท์", "เจ", "ปลา", "ฟ้า", "เบียร์"],
        "nick_tags": [" 🇹🇭", " | dev", "", " ☕"],
        "locations": ["กรุงเทพมหานคร", "Bangkok, Thailand", "เชียงใหม่", "Thailand"],
    },
}

# Names people pick instead of their own.
ALIASES = [
    "devnull",
    "the rust witch 🦀",
    "k8s janitor",
    "kernel panic",
    "ops gremlin",
    "yaml enjoyer",
    "null pointer",
    "sudo make coffee ☕",
    "404 sleep not found",
    "segfault sally",
    "git blame me",
    "the on-call raccoon 🦝",
    "localhost hero",
    "chaos monkey 🐒",
    "tabs > spaces",
    "merge conflict",
    "docker dad 🐳",
]

ALIAS_HANDLES = [
    "devnull",
    "rustwitch",
    "k8sjanitor",
    "kernelpanic",
    "opsgremlin",
    "yamlenjoyer",
    "nullptr",
    "sudomakecoffee",
    "sleepnotfound",
    "segfaultsally",
    "gitblameme",
    "oncallraccoon",
    "localhosthero",
    "chaosmonkey",
    "tabsoverspaces",
    "mergeconflict",
    "dockerdad",
]

HANDLE_WORDS_A = [
    "quiet",
    "sleepy",
    "tiny",
    "lazy",
    "rusty",
    "cloudy",
    "async",
    "cozy",
    "nocturnal",
    "brave",
    "salty",
    "pixel",
]
HANDLE_WORDS_B = [
    "kernel",
    "ops",
    "yaml",
    "bytes",
    "shell",
    "stack",
    "deploy",
    "lambda",
    "cache",
    "socket",
    "branch",
    "commit",
]
HANDLE_SUFFIXES = ["dev", "codes", "builds", "io", "hq", "_eng", "ops", "tech", "js", "rs"]

NAME_EMOJI = [
    "🦀",
    "☕",
    "🌱",
    "🚀",
    "✨",
    "🐈",
    "🌊",
    "🏳️‍🌈",
    "🎧",
    "📚",
    "🌻",
    "🐧",
    "⚡",
    "🛠️",
    "🧉",
    "🍵",
    "🐳",
    "🌙",
]
NAME_TAGS = [
    "| building in public",
    "(she/her)",
    "(he/him)",
    "(they/them)",
    "| DevRel",
    "| SRE",
    "@ home",
    "🔜 KubeCon",
]

FUN_LOCATIONS = [
    "localhost",
    "127.0.0.1",
    "the cloud ☁️",
    "Earth",
    "on-call",
    "in a YAML file",
    "Remote",
    "Internet",
    "somewhere in UTC+1",
    "🌍",
]

# {h}: the handle; {d}: the handle as a host name (lower case, no underscores).
WEBSITE_PATTERNS = [
    "https://{d}.dev",
    "https://github.com/{h}",
    "https://{d}.substack.com",
    "https://linktr.ee/{h}",
    "http://{d}.me",
    "https://www.linkedin.com/in/{d}",
    "https://{d}.github.io",
    "https://blog.{d}.io",
    "https://bsky.app/profile/{d}.bsky.social",
    "https://www.youtube.com/@{h}",
    "https://{d}.netlify.app",
]

# --- bios -------------------------------------------------------------------

BIO_ROLES = [
    "Staff engineer at {company}",
    "SRE @{org}",
    "Platform team lead at {company}",
    "Frontend dev",
    "Backend engineer",
    "DevRel @{org}",
    "Founder, {company}",
    "CTO at a tiny startup",
    "Eng manager",
    "Indie hacker",
    "Open source maintainer",
    "CS student 🎓",
    "Bootcamp grad, now backend dev",
    "Infra nerd",
    "Security engineer",
    "Data engineer",
    "iOS dev",
    "QA automation engineer",
    "Freelance full-stack dev",
    "Developer advocate",
    "Tech lead at {company}",
    "Principal engineer",
    "Docs writer at {company}",
    "Building developer platforms",
    "Making CI less painful at {company}",
]

BIO_INTERESTS = [
    "Rust, Go & coffee",
    "k8s wrangler",
    "Terraform all the things",
    "writing about DX",
    "building in public",
    "I break CI so you don't have to",
    "coffee → code",
    "mostly posting about YAML",
    "cat person 🐈",
    "climber 🧗",
    "dad of two",
    "runner 🏃‍♀️",
    "bad at chess",
    "mechanical keyboards ⌨️",
    "film photography 📷",
    "ultralight hiker 🥾",
    "#100DaysOfCode",
    "#opensource",
    "#DevOps",
    "#rustlang",
    "#golang",
    "#Python",
    "#TypeScript",
    "#a11y",
    "sourdough & shell scripts",
    "ex-sysadmin, still nostalgic",
    "talks at meetups sometimes 🎤",
    "🌱 learning Elixir",
]

BIO_TAILS = [
    "she/her",
    "he/him",
    "they/them",
    "Opinions my own.",
    "Views my own, not my employer's.",
    "🏳️‍🌈",
    "Previously @{org}",
    "🇪🇺",
    "",
    "",
]

BIOS_NATIVE = {
    "ja": [
        "Webエンジニア。Go と Rust が好き。猫2匹🐈",
        "SRE / Kubernetes / たまに登壇",
        "フロントエンドエンジニア @ 東京。React と TypeScript",
        "インフラ屋さん。Terraform書いてます",
        "個人開発してます🚀 #駆け出しエンジニアと繋がりたい",
        "バックエンド(Go) | 技術書典 | コーヒー☕️",
        "情報系の学生です",
        "OSSコントリビュータ。週末はキャンプ🏕",
    ],
    "zh": [
        "后端工程师，喜欢 Go 和开源",
        "全栈开发 / 独立开发者 🚀",
        "SRE，Kubernetes 爱好者",
        "前端工程师 | 猫奴 🐱",
        "在深圳写代码",
        "開源愛好者，住在台北",
    ],
    "ko": [
        "백엔드 개발자 | Go, Kotlin",
        "프론트엔드 개발자입니다 🙌",
        "DevOps 엔지니어. 쿠버네티스 좋아함",
        "스타트업 CTO",
        "개발 공부 중 📚 #100DaysOfCode",
    ],
    "ar": [
        "مهندس برمجيات | مهتم بالمصادر المفتوحة",
        "مطورة واجهات أمامية 💻",
        "DevOps | سحابة | قهوة ☕",
        "أكتب عن البرمجة وتجربة المطور",
    ],
    "iw": ["מפתח backend | קוד פתוח", "מהנדסת DevOps בתל אביב", "CTO בסטארטאפ קטן 🚀", "אוהב Rust וקפה"],
    "ru": [
        "Бэкенд-разработчик. Go, Postgres, кофе ☕",
        "DevOps-инженер | Kubernetes",
        "Пишу про инфраструктуру и CI/CD",
        "Фронтенд, TypeScript, котики 🐈",
    ],
    "uk": ["Backend-розробник з Києва 🇺🇦", "DevOps інженерка | Terraform", "Пишу код і п'ю каву ☕"],
    "hi": ["सॉफ्टवेयर इंजीनियर | ओपन सोर्स ❤️", "बैकएंड डेवलपर, बेंगलुरु", "कोडिंग सीख रही हूँ 📚"],
    "th": ["นักพัฒนาซอฟต์แวร์ | ชอบ Go กับกาแฟ ☕", "DevOps ที่กรุงเทพฯ", "Frontend dev สาย React 💻"],
    "es": [
        "Desarrolladora backend en {company} 🧉",
        "Ingeniero de software. Go, Kubernetes y mate 🧉",
        "DevOps | Open source | Opiniones propias",
        "Full-stack dev desde Medellín",
        "Aprendiendo Rust 🦀 #100DiasDeCodigo",
    ],
    "pt": [
        "Dev backend @ {company} | Go e café ☕",
        "Engenheira de software 🇧🇷 | open source",
        "SRE, pai de pet, corredor nas horas vagas",
        "Escrevo sobre DevOps e carreira em tech",
    ],
    "de": [
        "Softwareentwicklerin aus Berlin. Rust & Radfahren 🚲",
        "Platform Engineer | Kubernetes | Meinungen sind meine eigenen",
        "Backend-Entwickler bei {company}",
        "Infrastruktur, Kaffee, Open Source",
    ],
    "fr": [
        "Développeuse backend à Lyon 🥐",
        "Ingénieur DevOps | Kubernetes | Rust",
        "CTO d'une petite startup parisienne",
        "J'écris sur la DX et l'open source",
    ],
    "tr": ["Yazılım mühendisi | Go & açık kaynak", "Frontend geliştirici, İstanbul ☕"],
    "in": ["Software engineer dari Jakarta 🇮🇩", "Backend dev | Go | kopi ☕"],
    "it": ["Sviluppatrice backend a Milano", "DevOps engineer | open source | caffè ☕"],
    "pl": ["Programista backend | Go, Postgres", "Inżynierka DevOps z Krakowa"],
    "vi": ["Kỹ sư phần mềm ở Sài Gòn ☕", "Backend dev | Go | mã nguồn mở"],
    "nl": ["Backend developer uit Utrecht 🚲", "Platform engineer | Kubernetes | koffie"],
    "cs": ["Backend vývojář z Brna", "DevOps, Kubernetes a dobré pivo 🍺"],
    "sv": ["Utvecklare i Stockholm ☕", "Platform engineer | öppen källkod"],
}

# --- the account's own posts, by kind ---------------------------------------
# Slots: {version} {prev_version} {feature} {feature2} {fix} {city} {conf}
# {company} {member} {link} {docs} {event} {careers} {status} {gh} {n} {prs}
# {issues} {clock}. Each template is posted once, except those in RECURRING.

OWN_POSTS: dict[str, list[str]] = {
    "release": [
        "Ahoy {version} is out ⚓\n\n• {feature}\n• {feature2}\n• {fix}\n\nUpgrade: brew upgrade ahoy\nNotes: {link}",
        "{version} just shipped: {feature} is here. You asked for it in Discord more times than we can count 😅 {link}",
        "New in {version}: {feature}. Plus {fix}. Full changelog → {link}",
        "Shipping day 🚢 {version} brings {feature} and {feature2}. Thanks to @{member} for the first PR on this one! {link}",
        "Patch release {version}: {fix}. If you saw flaky previews this week, upgrade and tell us if it helps. {link}",
        "{version} is rolling out to Ahoy Cloud now, self-hosted images are on the registry. Highlights: {feature} & {fix}. {link}",
    ],
    "tip": [
        "Tip: `ahoy env diff 123 124` shows what changed between two previews' environments. Great for 'why does it work on their PR and not mine'.",
        "Running a preview per PR for a static site? `kind: static` in ahoy.yml skips the container build and starts in ~3s.",
        "Set `ttl: 72h` on a preview and it cleans itself up, even if nobody ever closes the PR 🧹",
        "Quick one: `ahoy status` lists every preview you own and what it has cost so far. Some of you have had one running since March 👀",
        "Tip: `ahoy up --from-branch main` spins up a preview from any branch, no PR needed.",
        "Did you know previews can sleep after 30 min idle? Set `sleep_after: 30m` in ahoy.yml and watch the bill shrink 💸 {docs_sleep}",
        "Tip of the week: `ahoy logs -f api` tails one service across every preview of a PR.",
        "Seeding a preview DB from a sanitized snapshot takes 4 lines of ahoy.yml. Walkthrough: {docs_seed}",
        "`ahoy share` gives a preview a short link you can send to design/PM without a login. Links expire after 7 days by default.",
        "Monorepo? Use `paths:` in ahoy.yml so a docs-only change doesn't spin up the whole stack. {docs_paths}",
        "Friday tip: `ahoy doctor` checks your config, tokens and runner in one go. Run it before you open an issue 🙏",
        "Tired of 'works on my machine'? `ahoy pull <pr>` runs a teammate's preview locally with the same env & seed data.",
        "You can pin a preview so it never sleeps (demos, sales calls, the CEO's laptop 👀): `ahoy pin 1234`",
        "TIL from our own Discord: @{member} runs Ahoy previews for their Storybook on every PR. Clever. How do you use previews beyond QA?",
        "Previews for a PR that touches 3 services? `depends_on` + health checks in ahoy.yml and they come up in the right order. {docs_deps}",
        "Small thing we love: `ahoy open` opens the preview for your current branch in the browser. That's it. That's the tip.",
    ],
    "spotlight": [
        "Spotlight 🔦 @{member} built a GitHub Action that posts a screenshot of every preview on the PR. Brilliant. {member_gh}",
        "Community spotlight 🔦 @{member} wrote a Terraform module that provisions Ahoy runners on spot instances and saved their team ~60%. Go give it a ⭐ {gh}",
        "Huge thanks to @{member} for the PR behind {feature}: 40 files, 3 rounds of review, zero complaints. Merged for {version}! 🙌",
        "@{member} gave a great talk on preview environments at {conf}. Slides: {link}",
        "Shoutout to @{member}, who answered more questions in #help than our whole team this month. You're a legend 💙",
        "This write-up by @{member} on cutting PR review time in half with previews is 🔥 {member_post}",
        "Meet the crew: @{member} maintains our Helm chart and answers half of #help. Ask them about their sourdough 🍞",
    ],
    "event": [
        "Tomorrow at 17:00 UTC: a live Q&A with our on-call team about what happens when a preview breaks at 3am. {event}",
        "Office hours today at 16:00 UTC 🎙️ This week: {feature}. Bring your ahoy.yml, your questions, your weirdest CI setup. {office_hours}",
        "Community call next Thursday: a demo of {feature}, roadmap updates and open Q&A. Add it to your calendar → {event}",
        "{city} friends! We're hosting a meetup on the 18th: pizza, lightning talks and a live debugging session. RSVP: {event}",
        "We'll be at {conf} next week. Come say hi at booth 12, we have stickers and the good socks 🧦",
        "Recording of yesterday's community call is up: the demo of {feature} starts at {clock}. {link}",
        "Livestream in 1 hour: @{member} and our CTO pair on moving a Rails app to Ahoy previews. {stream}",
    ],
    "event_ja": [
        "東京のみなさん、ミートアップやります！🍣 プレビュー環境の話とLTがあります。参加登録はこちら → {event}"
    ],
    "event_pt": ["Meetup em São Paulo! Vamos falar de ambientes de preview, CI e café ☕ Inscrições: {event}"],
    "community": [
        "Our docs now have a Japanese translation, contributed entirely by the community 🇯🇵 ありがとうございます！ {docs_ja}",
        "First-time contributors this month came from 14 countries. Every one of you gets a sticker pack in the mail 📬",
        "Good first issues are tagged and waiting 🐣 {issues} of them this week, from docs typos to a new CLI flag: {gh}",
        "What are you building this weekend? Show us your previews 👇",
        "Our Discord just passed 4,000 members. Come hang out in #show-and-tell: {discord}",
        "Weekly community roundup: {prs} merged PRs, {contributors} new contributors, and @{member}'s excellent guide to seed data. {link}",
        "Contributors call this Wednesday: we'll triage issues together and pair on a few. Everyone welcome, especially first-timers. {event}",
        "New contributor guide is live. If you've ever wanted to send a PR to Ahoy but didn't know where to start, start here: {docs_contributing}",
    ],
    "blog": [
        "We open-sourced our preview scheduler. Here's how it decides which sleeping preview to evict first: {blog_scheduler}",
        "What 200 customer calls taught us about review environments. {blog_calls}",
        "New on the blog: how we cut preview cold starts from 90s to 11s (it was DNS, of course it was DNS) {blog_cold}",
        "We wrote up everything we learned running a million preview environments this year. {blog_million}",
        "Preview environments vs. staging: a practical guide, with the tradeoffs nobody mentions. {blog_staging}",
        "How {company} ships 40 PRs a day with Ahoy previews, a case study. {blog_case}",
        "Ephemeral databases for every PR: patterns, pitfalls and what we'd do differently. {blog_db}",
        "Guest post by @{member}: running Ahoy on a Raspberry Pi cluster (yes, really) {blog_pi}",
        "Why we rewrote the Ahoy agent in Rust, and why we almost didn't. {blog_rust}",
    ],
    "question": [
        "What's one step of your PR review process you'd delete tomorrow if you could?",
        "Self-hosters: Helm, Terraform, or plain docker compose? Deciding where to put docs effort next.",
        "If you could have previews for one more kind of thing (mobile apps, data pipelines, infra changes…), what would it be?",
        "Quick question for the timeline: what's your CI in 2026? Reply with yours 👇",
        "What's the one thing that makes preview environments annoying for your team? Honest answers welcome, we read every reply.",
        "Which should we build next: GitLab merge trains, ARM runners, or a Slack app? 🤔",
        "How long do your previews usually live? Hours? Days? Forever because nobody closes PRs? 😅",
        "Devs who run previews for mobile apps: how do you do it today? We're researching, reply or DM.",
        "What's your favorite ahoy.yml trick? Best one gets a hoodie 🧥",
    ],
    "hiring": [
        "We're hiring a Senior Platform Engineer (remote, EU/Americas time zones). Kubernetes, Go, and a soft spot for DX. {careers}",
        "Join us! We're looking for a Developer Advocate who loves writing, speaking, and answering 'why is my preview slow' with patience. {careers}",
        "Ahoy is hiring a Support Engineer for APAC hours 🌏 {careers}",
    ],
    "incident": [
        "We're investigating slow preview builds in eu-west. Existing previews are unaffected. Updates: {status}",
        "Heads up: GitHub webhooks are delayed on their side, so previews may start a few minutes late. We're watching it. {status}",
    ],
    "resolved": [
        "Resolved: builds in eu-west are back to normal. Sorry for the wait this morning; postmortem to follow. {status}",
        "All clear ✅ webhook delivery has recovered and the backlog is drained.",
    ],
    "milestone": [
        "10,000 ⭐ on GitHub. We started this as a weekend hack in 2019. Thank you, all of you 🥹 {gh}",
        "5,000 followers here! Thanks for the bug reports, the memes and the PRs. Ask us anything today 👇",
        "One million previews created this year. That's a lot of 'LGTM 👀' avoided.",
    ],
    "fun": [
        "Naming things is hard. We spent 45 minutes on what to call the button that wakes a sleeping preview. It's called 'Wake'.",
        "Preview names we've seen this week: 'please-work', 'please-work-2', 'final-final', 'ok-this-one'. We see you 💙",
        "Monday status: coffee ☕ ✅ CI green ✅ nobody touched staging-2 ✅",
        "Hot take: the best code review comment is a link to a working preview.",
        "Us: we'll keep the changelog short this time\nAlso us: {version} notes are 2,400 words",
        "POV: you finally delete staging-2 after 3 years 🕯️",
        "A preview environment walks into a bar. It falls asleep after 30 minutes idle.",
        "Favorite bug report this week: 'Ahoy works too well, now my PM reviews every PR'. Working as intended.",
        "Happy Friday. Please don't deploy. (Previews are fine though 😉)",
        "Our office plant survived another release 🪴",
        "Team offsite in {city}: 2 days of roadmap, 1 day of boats. We are legally required to do boats ⛵",
        "Every preview we spin up gets a random ship name. Today's favorite: 'the-unsinkable-pr-4412' 🚢",
    ],
}

# Where {blog_*} and {docs_*} links lead; a bare {docs} is any page.
BLOG_PAGES = {
    "cold": "preview-cold-starts",
    "million": "a-million-previews",
    "staging": "previews-vs-staging",
    "case": "case-study-40-prs-a-day",
    "db": "ephemeral-databases",
    "pi": "ahoy-on-raspberry-pi",
    "rust": "agent-in-rust",
    "scheduler": "open-sourcing-the-scheduler",
    "calls": "200-customer-calls",
}
DOCS_PAGES = {
    "sleep": "config/sleep",
    "seed": "guides/seed-data",
    "paths": "config/paths",
    "deps": "config/depends-on",
    "doctor": "cli/doctor",
    "oauth": "guides/oauth-callbacks",
    "helm": "self-hosting/helm",
    "contributing": "contributing",
    "ja": "ja",
}
CAREERS_SLUGS = ["senior-platform-engineer", "developer-advocate", "support-engineer-apac"]

# Launch week, after the anchor: one post a day, Monday to Friday.
LAUNCH_POSTS = [
    "#AhoyLaunchWeek starts now 🚀 Day 1: Ahoy {version}, with {feature} for everyone, on every plan. {link}",
    "#AhoyLaunchWeek day 2: {feature}. Yes, finally. {link}",
    "#AhoyLaunchWeek day 3: a new dashboard. Faster, darker, and it shows what each preview costs. {link}",
    "#AhoyLaunchWeek day 4: {feature}, built with @{member} and the community 💙 {link}",
    "#AhoyLaunchWeek day 5: Ahoy is now free for open-source projects. Forever. Apply here: {link}",
]

NEW_PEOPLE_HELLO = [
    ("en", "First post here 👋 just set up @{me} for my side project and it took 4 minutes. Hi everyone!"),
    ("ja", "はじめまして。@{me} を触り始めました、よろしくお願いします🙏"),
]

NEW_BIO = "Just joined @tidewaterdb as a staff engineer 🌊 | Rust, Go & coffee | building dev platforms"
NEW_LOCATION = "Lisbon, Portugal"

# Templates that may be posted more than once, and how often at most in the 90 days.
RECURRING = {
    "Huge thanks to @{member} for the PR behind {feature}: 40 files, 3 rounds of review, zero complaints. Merged for {version}! 🙌": 3,
    "@{member} gave a great talk on preview environments at {conf}. Slides: {link}": 4,
    "Shoutout to @{member}, who answered more questions in #help than our whole team this month. You're a legend 💙": 2,
    "This write-up by @{member} on cutting PR review time in half with previews is 🔥 {member_post}": 2,
    "Office hours today at 16:00 UTC 🎙️ This week: {feature}. Bring your ahoy.yml, your questions, your weirdest CI setup. {office_hours}": 10,
    "Community call next Thursday: a demo of {feature}, roadmap updates and open Q&A. Add it to your calendar → {event}": 3,
    "{city} friends! We're hosting a meetup on the 18th: pizza, lightning talks and a live debugging session. RSVP: {event}": 3,
    "We'll be at {conf} next week. Come say hi at booth 12, we have stickers and the good socks 🧦": 3,
    "Recording of yesterday's community call is up: the demo of {feature} starts at {clock}. {link}": 3,
    "Livestream in 1 hour: @{member} and our CTO pair on moving a Rails app to Ahoy previews. {stream}": 2,
    "Good first issues are tagged and waiting 🐣 {issues} of them this week, from docs typos to a new CLI flag: {gh}": 3,
    "Weekly community roundup: {prs} merged PRs, {contributors} new contributors, and @{member}'s excellent guide to seed data. {link}": 8,
    "Contributors call this Wednesday: we'll triage issues together and pair on a few. Everyone welcome, especially first-timers. {event}": 3,
    "What are you building this weekend? Show us your previews 👇": 3,
}

THREAD = [
    "How we run previews for 400 PRs a day without melting the cluster 🧵",
    "1/ Every preview is a namespace with quotas. Idle ones sleep after 30 minutes, and about 70% of previews are asleep at any moment.",
    "2/ Builds are cached per lockfile hash, so most previews start from a warm image. Cold start p50 is 11s. The full write-up, configs included: {link}",
]

LONG_OWN_POSTS = [
    (
        "Ahoy {version} release notes, the long version 🧶\n\n"
        "{feature}: the most requested item on our roadmap board, by a mile. It works on Ahoy Cloud and "
        "self-hosted, no config change needed if you're on the default runner.\n\n"
        "{feature2}: now in beta. Turn it on per project in settings and tell us where it breaks.\n\n"
        "Also: {fix}, a rewritten `ahoy doctor` that explains what it finds, and 31 smaller fixes from "
        "19 contributors (9 of them first-timers 💙).\n\n"
        "Upgrade with `brew upgrade ahoy` or pull the new images. Full notes: {link}"
    ),
    (
        "Postmortem, short version: last Tuesday between 09:12 and 10:47 UTC, new previews in eu-west took "
        "up to 14 minutes to start.\n\n"
        "Cause: a cache key for base images changed in a routine dependency bump, so every build missed the "
        "cache at once and the builders queued up.\n\n"
        "What we changed: cache keys are now versioned explicitly, we alert on cache hit rate (not just build "
        "time), and builders scale on queue depth instead of CPU.\n\n"
        "We're sorry for the disruption. The full timeline is here: {link}"
    ),
    (
        "Some numbers from the year, because you asked on the last community call:\n\n"
        "• 1.1 million previews created\n• median preview lived 2 days, 3 hours\n"
        "• 214 contributors to the CLI, 87 of them first-timers\n• 41 meetups in 19 cities\n"
        "• 1 office plant, still alive 🪴\n\n"
        "Thank you for filing the issues, writing the guides, answering each other in Discord and telling "
        "your teams about us. Next year: faster cold starts, ARM everywhere, and a Slack app. {link}"
    ),
]

# --- what people write -------------------------------------------------------

REPLIES_EN: dict[str, list[str]] = {
    "release": [
        "finally!! been waiting for {feature} since forever 🙌",
        "upgraded, {feature} works great on our monorepo",
        "does {feature} work with self-hosted too?",
        "is there a migration guide from {prev_version}?",
        "brew says I'm already on the latest, is the formula updated yet?",
        "this is huge for us, thank you!",
        "after upgrading our previews get stuck in provisioning 😬 should I open an issue?",
        "the changelog link 404s for me",
        "any ETA for the Helm chart bump?",
        "nice, {fix} was biting us every week",
    ],
    "tip": [
        "wait, this has existed the whole time?",
        "TIL 🤯",
        "we do this with a bash script held together with tape, switching today",
        "does this work with docker compose projects?",
        "bookmarking this",
        "this should be in the getting started guide tbh",
    ],
    "spotlight": [
        "congrats @{member}! well deserved 🎉",
        "@{member} is the best, they helped me debug my config at 1am",
        "so cool 👏",
        "well deserved!",
    ],
    "event": [
        "see you there!",
        "will it be recorded?",
        "what time is that in PST?",
        "can't make it this time, next one for sure",
        "signed up 🙋",
        "any chance of a meetup in {city}?",
        "bringing two teammates 👋",
    ],
    "event_ja": ["参加します！", "楽しみにしてます🍣", "LT枠まだ空いてますか？"],
    "event_pt": ["Bora! Nos vemos lá", "Vai ter transmissão?", "Inscrito ✅"],
    "blog": [
        "great write-up, the part about cache keys hit close to home",
        "sharing this with my team",
        "love how honest this is",
        "we hit the exact same DNS issue last year 😂",
        "really good read, thanks for publishing this",
    ],
    "question": [
        "GitHub Actions, and honestly it's fine",
        "Buildkite for us, self-hosted runners",
        "GitLab CI. please prioritize merge trains 🙏",
        "ARM runners please! half our team is on M-series Macs",
        "Slack app. our PMs live there",
        "previews live until the PR is merged, which is... sometimes months",
        "Jenkins. don't judge us",
        "Kestrel CI + Ahoy, works great",
        "CircleCI, moving off it next quarter",
    ],
    "hiring": [
        "applied! 🤞",
        "is the role open to folks in India?",
        "sent this to a friend who'd be perfect",
        "do you sponsor visas?",
    ],
    "incident": [
        "seeing it in us-east too fwiw",
        "thanks for the quick update",
        "our previews are still queued, is that expected?",
        "appreciate the transparency 🙏",
    ],
    "resolved": [
        "back to normal for us, thanks!",
        "confirmed, builds are fast again",
        "looking forward to the postmortem",
    ],
    "milestone": [
        "congrats team! 🎉",
        "well deserved, been using Ahoy since 0.x",
        "🥳🥳🥳",
        "what was the first commit? 😄",
    ],
    "fun": ["😂😂", "too real", "staging-2, rest in peace 🕯️", "I felt this in my soul", "lmao"],
    "thread": [
        "great thread, saving this",
        "what do you use for the quotas, LimitRanges?",
        "11s cold start is wild 🤯",
    ],
    "generic": [
        "🔥", "🙌", "love this", "nice!", "💙", "great stuff 👏", "+1", "this is the way", "so good",
        "awesome 🚀", "nice one!", "🔥🔥 love it", "this is great", "thank you for this",
    ],
}

GENERIC_NATIVE: dict[str, list[str]] = {
    "es": [
        "¡Qué bueno! Justo lo que necesitábamos 🙌",
        "¿Funciona también con GitLab?",
        "Lo acabo de probar y va rapidísimo 🔥",
        "¡Felicidades al equipo!",
        "¿Habrá grabación?",
        "Me encanta, gracias por compartir",
    ],
    "pt": [
        "Que massa! Já tô testando aqui 🚀",
        "Isso vai salvar meu time, valeu!",
        "Funciona com self-hosted também?",
        "Parabéns pelo lançamento 🎉",
        "Vai ter gravação?",
        "Muito bom, obrigado por compartilhar",
    ],
    "de": [
        "Sehr cool, genau das haben wir gebraucht 👏",
        "Funktioniert das auch mit GitLab CI?",
        "Danke fürs Teilen!",
        "Gerade ausprobiert, läuft super",
        "Glückwunsch an das ganze Team 🎉",
    ],
    "fr": [
        "Trop bien, merci l'équipe 🙌",
        "Est-ce que ça marche aussi en self-hosted ?",
        "Super article, merci pour le partage",
        "Bravo pour la release 🎉",
        "Il y aura un replay ?",
    ],
    "ja": [
        "これ待ってました！🙌",
        "さっそく試してみます",
        "セルフホスト版でも使えますか？",
        "めっちゃ便利そう",
        "リリースおめでとうございます🎉",
        "録画はありますか？",
        "社内でも共有しました",
    ],
    "ko": [
        "와 이거 진짜 필요했어요 🙌",
        "셀프호스팅에서도 되나요?",
        "바로 써볼게요!",
        "릴리스 축하드려요 🎉",
        "녹화본도 올라오나요?",
    ],
    "zh": [
        "太好了，等这个功能很久了 🙌",
        "自托管版本也支持吗？",
        "刚试了一下，速度快了很多",
        "恭喜发布 🎉",
        "有录播吗？",
    ],
    "ar": [
        "رائع جداً 👏 بالضبط ما كنا نحتاجه",
        "هل يعمل مع GitLab أيضاً؟",
        "مبروك على الإصدار الجديد 🎉",
        "شكراً على المشاركة",
    ],
    "iw": ["מעולה, בדיוק מה שחיפשנו 🙌", "זה עובד גם ב-self-hosted?", "מזל טוב על הגרסה החדשה 🎉", "תודה על השיתוף"],
    "ru": [
        "Огонь 🔥 давно ждали",
        "А с GitLab это работает?",
        "Поздравляю с релизом! 🎉",
        "Спасибо, очень полезно",
        "Будет запись?",
    ],
    "uk": ["Нарешті! Дуже чекали 🙌", "Дякую, дуже корисно", "Вітаю з релізом 🎉"],
    "hi": ["बहुत बढ़िया! 🙌", "क्या यह self-hosted पर भी काम करता है?", "पूरी टीम को बधाई 🎉"],
    "th": ["เยี่ยมมาก รอฟีเจอร์นี้อยู่เลย 🙌", "ใช้กับ GitLab ได้ไหมครับ", "ยินดีด้วยกับรีลีสใหม่ 🎉"],
    "tr": ["Harika, tam ihtiyacımız olan şey 👏", "GitLab ile de çalışıyor mu?", "Tebrikler ekip 🎉"],
    "in": ["Keren banget! 🔥", "Apakah bisa dipakai di self-hosted?", "Selamat atas rilisnya 🎉"],
    "it": [
        "Fantastico, proprio quello che ci serviva 🙌",
        "Funziona anche con GitLab?",
        "Complimenti per il rilascio 🎉",
    ],
    "pl": ["Super, właśnie tego potrzebowaliśmy 🙌", "Czy to działa z GitLabem?", "Gratulacje dla zespołu 🎉"],
    "vi": ["Tuyệt vời quá 🙌", "Có hỗ trợ self-hosted không ạ?", "Chúc mừng team 🎉"],
    "nl": ["Top, precies wat we nodig hadden 🙌", "Werkt dit ook met GitLab?", "Gefeliciteerd met de release 🎉"],
    "cs": ["Paráda, přesně tohle jsme potřebovali 🙌", "Funguje to i s GitLabem?"],
    "sv": ["Grymt, precis vad vi behövde 🙌", "Funkar det med GitLab också?"],
}

MENTIONS_EN = [
    "Moved our whole staging setup to @{me} this week. Previews in under a minute, no more fighting over staging-2 😅",
    "@{me} is there a way to reuse a seeded DB across previews of the same PR? Rebuilding it on every push takes forever",
    "Hey @{me}, our previews stopped posting PR comments since this morning. Anything on your side?",
    "Not sponsored, just happy: @{me} previews caught a broken migration before it hit main today 🙏",
    "Wrote up how we use @{me} for design reviews: {ext}",
    "PM: can I see it before it's merged?\nMe: *pastes @{me} link*\nPM: 😍",
    "@{me} feature request: a button to extend a shared preview link. Ours expire mid-demo 🙃",
    "Giving a talk on ephemeral environments at {conf} next month, and @{me} is going to feature heavily 🎤",
    "@{me} do you have ARM runners on the roadmap? asking for my M3 team",
    "Our CI bill went down 30% after we turned on sleep mode in @{me}. Finance sent us cookies 🍪",
    "Trying @{me} with a Django + Celery + Postgres app. So far so good. The Redis sidecar was 3 lines.",
    "Honest review after 6 months with @{me}: the good, the meh, and the config I wish I'd written on day one {ext}",
    "cc @{me}: the docs page for secrets sync has a broken code sample",
    "@{me} @{member} ran into the same thing last week, pinging you both 👀",
    "Is anyone running @{me} self-hosted on k3s? Would love to compare notes",
    "Kudos to @{me} support, they fixed our webhook issue in 20 minutes on a Sunday",
    "@{me} y'all should do a meetup in {city} 👀",
    "3 years ago preview environments were a luxury. Now @{me} has us spoiled. #DevOps #DX",
    "Just hit 500 previews on our team account. @{me} when do we get a hoodie 😄",
    "Hot take: every PR should have a preview. @{me} made it boring, in the best way.",
    "@{me} bug? `ahoy up` on Windows fails when the repo path has a space. Repro: {issue}",
    "New video: setting up preview environments in 10 minutes with @{me} {video}",
    "Our intern shipped their first feature today and the reviewer tested it on an @{me} preview from their phone 📱",
    "@{me} what's the recommended way to run migrations before the app boots in a preview? init container or hook?",
    "Thread on how we built per-PR environments before @{me} existed, and why we stopped 🧵",
    "@{me} love the new docs search, found what I needed in 2 seconds",
    "@{me} @{org} integration when? 🙏",
    "Pairing with @{member} on our ahoy.yml today. We deleted 200 lines of bash. @{me} 🫡",
    "@{me} small thing but the dark mode on the dashboard is *chef's kiss*",
    'Week 2 of using @{me} & our QA lead hasn\'t asked "which staging is free?" once',
    "is @{me} down? previews stuck on 'queued' for 10 minutes",
    "@{me} how do previews handle OAuth callbacks? Our redirect URIs are per-environment",
    "Spent my Saturday contributing a tiny fix to @{me}'s CLI. Maintainers were lovely. #opensource #hacktoberfest",
    "Shipping a preview per PR for our docs site with @{me} + {org}, review cycles are so much shorter now",
    "@{me} any plans for a Nix integration? would love `ahoy up` to respect our flake",
]

MENTIONS_NATIVE: dict[str, list[str]] = {
    "ja": [
        "@{me} のプレビュー環境、導入してからレビューが爆速になった🚀",
        "@{me} セルフホスト版をk8sで動かしてる人いますか？",
        "今日の勉強会で @{me} の話をしました。スライドはこちら {ext}",
        "@{me} の ahoy.yml、書きやすくて好き",
        "@{me} ドキュメントの日本語版があると嬉しいです🙏",
    ],
    "es": [
        "Probando @{me} en el trabajo y la verdad es que los entornos de preview funcionan de lujo 🔥",
        "@{me} ¿hay planes para soporte de Bitbucket?",
        "Escribí un post sobre cómo usamos @{me} en nuestra startup: {ext}",
    ],
    "pt": [
        "Comecei a usar o @{me} no trampo e nunca mais quero outro staging compartilhado 😂",
        "@{me} vocês têm previsão de suporte a runners ARM?",
        "Gravei um vídeo mostrando o @{me} do zero: {video}",
    ],
    "de": [
        "Seit wir @{me} nutzen, sind Code-Reviews deutlich entspannter. Klare Empfehlung 👍",
        "@{me} gibt es eine Möglichkeit, Previews in der EU zu hosten? DSGVO und so…",
    ],
    "fr": [
        "On a migré notre staging vers @{me}, franchement c'est le jour et la nuit",
        "@{me} une idée de quand arrive le support de GitLab self-managed ?",
    ],
    "ko": ["@{me} 덕분에 PR 리뷰가 훨씬 편해졌어요 👍", "@{me} 한국어 문서도 나오면 좋겠어요"],
    "zh": ["最近在团队里推广 @{me}，每个 PR 都有预览环境，产品经理很开心", "@{me} 请问自托管版本支持 ARM 吗？"],
    "ar": [
        "جربت @{me} اليوم مع مشروع Django وكانت التجربة ممتازة 👌",
        "@{me} هل هناك خطط لدعم اللغة العربية في الواجهة؟",
    ],
    "iw": ["התחלנו להשתמש ב-@{me} בצוות וזה שינה לנו את ה-code review", "@{me} יש תמיכה ב-Bitbucket?"],
    "ru": [
        "Перевели staging на @{me}, теперь у каждого PR своё окружение, красота",
        "@{me} а есть планы на поддержку ARM-раннеров?",
    ],
    "uk": ["Спробував @{me} на пет-проєкті, дуже сподобалось 👍"],
    "hi": ["@{me} के preview environments कमाल के हैं, हमारी टीम का review time आधा हो गया 🚀"],
    "th": ["ลองใช้ @{me} กับโปรเจกต์ที่ทำงานแล้ว ดีมากครับ 👍"],
    "tr": ["@{me} ile her PR için ayrı ortam, code review çok kolaylaştı 👏"],
    "in": ["Baru coba @{me} buat project kantor, preview environment-nya cepet banget 🔥"],
    "it": ["Abbiamo adottato @{me} in azienda: ogni PR ha il suo ambiente, una svolta"],
    "pl": ["Wdrożyliśmy @{me} w zespole i code review jest dużo prostsze 👍"],
    "vi": ["Mới dùng thử @{me} cho dự án ở công ty, preview environment chạy nhanh thật 🔥"],
    "nl": ["Sinds we @{me} gebruiken zijn code reviews een stuk relaxter 👍"],
}

CONF_MENTIONS = [
    "Great talk by @{me} at #ShipItConf on preview environments. The cache key story got a big laugh 😂",
    "Grabbed the good socks from the @{me} booth 🧦 #ShipItConf",
    '"Staging is a shared mutable global" from the @{me} talk is going on a sticker #ShipItConf',
    "Finally met the @{me} folks in person at #ShipItConf, lovely humans",
    "Notes from the @{me} session at #ShipItConf: sleep idle previews, version your cache keys, seed data > fixtures",
    "#ShipItConf day 1 highlight: live demo by @{me} actually worked on conference wifi 🤯",
]

LAUNCH_MENTIONS = [
    "Launch week at @{me} and day {n} already has me rewriting our ahoy.yml 😅 #AhoyLaunchWeek",
    "@{me} #AhoyLaunchWeek day {n} is the one I wanted, thank you!!",
    "Catching up on #AhoyLaunchWeek, @{me} shipping like crazy 🚢",
]

QUOTES_WITH_MENTION = [
    ("en", "This is the feature I've been waiting for. Thanks @{me}!"),
    ("en", "If you have more than 5 devs sharing one staging, read this 👇 (via @{me})"),
    ("en", "We've been on this for 3 months, can confirm it's great. The @{me} team ships."),
    ("en", "Big release from @{me} 🚢"),
    ("en", "Our team's talk is in the recording at 24:10 👀 thanks @{me}"),
    ("en", "Hard agree with @{me} here"),
    ("en", "@{me} nailed it 😂"),
    ("en", "Going to this. Who else? @{me}"),
    ("en", "The postmortem culture at @{me} is 👌"),
    ("ja", "これは便利 @{me}"),
    ("es", "Gran lanzamiento de @{me} 🚢"),
    ("pt", "Recomendo demais o @{me}"),
    ("de", "Starkes Release von @{me} 👏"),
    ("ko", "@{me} 이번 릴리스 좋네요"),
]

QUOTES_PLAIN = [
    "This is the feature I've been waiting for",
    "Read this if you share one staging env 👇",
    "Big if true",
    "👀",
    "finally",
    "Bookmarking for Monday",
    "the team at work is going to love this",
    "ok this is cool",
]

NESTED_REPLIES = [
    ("en", "same here!"),
    ("en", "+1, we hit this too"),
    ("en", "try `ahoy doctor`, it fixed that for us"),
    ("en", "you need `sleep_after` at the root of ahoy.yml, not under services"),
    ("en", "we run it on k3s, works fine, DM me"),
    ("en", "haha same"),
    ("en", "agreed 💯"),
    ("en", "following, we want this too"),
    ("en", "it's in the docs under 'lifecycle hooks' iirc"),
    ("ja", "私もこれ気になってました"),
    ("pt", "mesma dúvida aqui"),
    ("es", "igual que nosotros 😅"),
]

OWN_REPLIES = [
    "Thanks! 💙",
    "Yes! Self-hosted gets it in the next minor.",
    "Not yet, but it's on the roadmap for Q1. Tracking issue: {issue}",
    "Sorry about that! Could you open an issue with your ahoy.yml? We'll take a look today.",
    "It will be recorded, link goes out the day after 🎥",
    "Great question. The docs have a section on this: {docs}",
    "That's a bug on our side, a fix is rolling out now 🙏",
    "Love this, thanks for sharing!",
    "Sending you a hoodie, DM us your size 🧥",
    "We'd love to! Any venue ideas?",
    "Appreciate you 🙏 passing this to the team",
]

OWN_REPLIES_NATIVE = {
    "ja": "ありがとうございます！🙏",
    "pt": "Valeu demais! 💙",
    "es": "¡Gracias! 💙",
    "de": "Danke dir! 💙",
    "fr": "Merci beaucoup ! 💙",
}

BACK_TO_ME = [
    ("en", "thanks!"),
    ("en", "done, opened #{n}"),
    ("en", "perfect, that worked 🙏"),
    ("en", "M please 😄"),
    ("en", "amazing, thank you"),
    ("ja", "ありがとうございます！"),
    ("pt", "valeu!"),
    ("en", "🙏🙏"),
]

LONG_MENTIONS = [
    (
        "en",
        "I've been meaning to write this for a while, so here goes: 6 months with @{me} at a 40-person eng org.\n\n"
        "What worked: every PR gets a preview with seeded data, designers review on their phones, QA stopped "
        "waiting for staging. Our lead time from merge to prod went from 3 days to under 1.\n\n"
        "What didn't: our first ahoy.yml was way too clever. Start small: one service, one DB, add the rest "
        "later. Also set sleep_after on day one, our first bill was... educational.\n\n"
        "Would I pick it again? Yes, without thinking. Thanks to the team for answering my dumb questions in "
        "Discord at odd hours 💙",
    ),
    (
        "ja",
        "@{me} を導入して3ヶ月経ったので振り返り。\n\n良かった点：PRごとにプレビュー環境が立つので、デザイナーやPMが"
        "その場で確認できるようになった。レビュー待ちの時間が体感で半分以下に。seedデータの仕組みも分かりやすい。\n\n"
        "気になった点：最初のahoy.ymlを凝りすぎて、ビルドが遅くなった。最初は1サービスから始めるのがおすすめ。"
        "あとsleep_afterは最初から設定しておくべきでした（請求書を見て気づいた…）。\n\n総じて大満足です。Discordのサポートもとても丁寧でした🙏",
    ),
    (
        "pt",
        "Fio rápido (que ficou longo) sobre a nossa migração pro @{me}:\n\nAntes: 3 ambientes de staging "
        "compartilhados, uma planilha pra reservar, e briga toda sexta. Depois: cada PR tem seu ambiente, com banco "
        "populado, e o link vai direto no comentário do PR.\n\nO que eu faria diferente: começar pelo serviço mais "
        "simples e só depois trazer o monólito. E ligar o sleep mode desde o primeiro dia.\n\nResultado: o time de "
        "QA agradeceu, o financeiro também. Recomendo demais 🚀",
    ),
    (
        "en",
        "@{me} answering your question properly because it deserves more than a one-liner: the thing that makes "
        "previews annoying for us isn't the previews, it's everything around them. OAuth redirect URIs that have "
        "to be registered per environment, third-party webhooks that can only point at one URL, and seed data "
        "that drifts from prod until a preview is useless for reproducing a bug. If Ahoy could give each preview a "
        "stable callback URL and a way to refresh seed data from a sanitized prod snapshot on demand, that would "
        "remove 90% of our pain. Happy to jump on a call and show you our setup.",
    ),
]

SCAM_WARNING = (
    "Heads up @{me}: @{scam} is DMing your users pretending to be support and asking for API tokens. "
    "Reported, please warn folks 🚩"
)
DELETED_REPLY = "@{other} @{me} wait, where did the original post go? I wanted to share it with my team"
PROTECTED_QUOTE = "@{me} this is exactly the question I asked in your Discord last week 😄"
