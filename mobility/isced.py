"""ISCED-F 2013 fields of education and training (UNESCO, 2013), with English and Turkish labels.

The Beneficiary Module takes the four-digit (detailed) code; a department's code is chosen from
this list, never typed free. Codes ending in 0 are "not further defined", 8 "inter-disciplinary",
9 "not elsewhere classified": their labels are built from the field above them.
"""
from django.utils.translation import get_language

BROAD = {
    "00": ("Generic programmes and qualifications", "Genel programlar ve yeterlilikler"),
    "01": ("Education", "Eğitim"),
    "02": ("Arts and humanities", "Sanat ve beşeri bilimler"),
    "03": ("Social sciences, journalism and information", "Sosyal bilimler, gazetecilik ve enformasyon"),
    "04": ("Business, administration and law", "İşletme, yönetim ve hukuk"),
    "05": ("Natural sciences, mathematics and statistics", "Doğa bilimleri, matematik ve istatistik"),
    "06": ("Information and Communication Technologies (ICTs)", "Bilişim ve iletişim teknolojileri (BİT)"),
    "07": ("Engineering, manufacturing and construction", "Mühendislik, üretim ve inşaat"),
    "08": ("Agriculture, forestry, fisheries and veterinary", "Tarım, ormancılık, su ürünleri ve veterinerlik"),
    "09": ("Health and welfare", "Sağlık ve refah"),
    "10": ("Services", "Hizmetler"),
    "99": ("Field unknown", "Alan bilinmiyor"),
}

# Narrow fields that have "not further defined" / "not elsewhere classified" detailed codes.
NARROW = {
    "011": ("Education", "Eğitim"),
    "021": ("Arts", "Sanat"),
    "022": ("Humanities (except languages)", "Beşeri bilimler (diller hariç)"),
    "023": ("Languages", "Diller"),
    "031": ("Social and behavioural sciences", "Sosyal ve davranış bilimleri"),
    "032": ("Journalism and information", "Gazetecilik ve enformasyon"),
    "041": ("Business and administration", "İşletme ve yönetim"),
    "051": ("Biological and related sciences", "Biyoloji ve ilgili bilimler"),
    "052": ("Environment", "Çevre"),
    "053": ("Physical sciences", "Fizik bilimleri"),
    "054": ("Mathematics and statistics", "Matematik ve istatistik"),
    "061": ("Information and Communication Technologies (ICTs)", "Bilişim ve iletişim teknolojileri (BİT)"),
    "071": ("Engineering and engineering trades", "Mühendislik ve mühendislik meslekleri"),
    "072": ("Manufacturing and processing", "İmalat ve işleme"),
    "073": ("Architecture and construction", "Mimarlık ve inşaat"),
    "081": ("Agriculture", "Tarım"),
    "091": ("Health", "Sağlık"),
    "092": ("Welfare", "Refah"),
    "101": ("Personal services", "Kişisel hizmetler"),
    "102": ("Hygiene and occupational health services", "Hijyen ve iş sağlığı hizmetleri"),
    "103": ("Security services", "Güvenlik hizmetleri"),
}

SPECIFIC = {
    "0011": ("Basic programmes and qualifications", "Temel programlar ve yeterlilikler"),
    "0021": ("Literacy and numeracy", "Okuma-yazma ve sayısal beceriler"),
    "0031": ("Personal skills and development", "Kişisel beceriler ve gelişim"),
    "0111": ("Education science", "Eğitim bilimi"),
    "0112": ("Training for pre-school teachers", "Okul öncesi öğretmen yetiştirme"),
    "0113": ("Teacher training without subject specialisation", "Alan uzmanlığı olmadan öğretmen yetiştirme"),
    "0114": ("Teacher training with subject specialisation", "Alan uzmanlığıyla öğretmen yetiştirme"),
    "0211": ("Audio-visual techniques and media production", "Görsel-işitsel teknikler ve medya yapımı"),
    "0212": ("Fashion, interior and industrial design", "Moda, iç mekân ve endüstriyel tasarım"),
    "0213": ("Fine arts", "Güzel sanatlar"),
    "0214": ("Handicrafts", "El sanatları"),
    "0215": ("Music and performing arts", "Müzik ve sahne sanatları"),
    "0221": ("Religion and theology", "Din ve ilahiyat"),
    "0222": ("History and archaeology", "Tarih ve arkeoloji"),
    "0223": ("Philosophy and ethics", "Felsefe ve etik"),
    "0228": ("Inter-disciplinary programmes and qualifications involving humanities",
             "Beşeri bilimleri içeren disiplinlerarası programlar ve yeterlilikler"),
    "0231": ("Language acquisition", "Dil edinimi"),
    "0232": ("Literature and linguistics", "Edebiyat ve dilbilim"),
    "0311": ("Economics", "İktisat"),
    "0312": ("Political sciences and civics", "Siyaset bilimi ve vatandaşlık"),
    "0313": ("Psychology", "Psikoloji"),
    "0314": ("Sociology and cultural studies", "Sosyoloji ve kültürel çalışmalar"),
    "0321": ("Journalism and reporting", "Gazetecilik ve habercilik"),
    "0322": ("Library, information and archival studies", "Kütüphane, bilgi ve arşiv çalışmaları"),
    "0411": ("Accounting and taxation", "Muhasebe ve vergilendirme"),
    "0412": ("Finance, banking and insurance", "Finans, bankacılık ve sigortacılık"),
    "0413": ("Management and administration", "Yönetim ve idare"),
    "0414": ("Marketing and advertising", "Pazarlama ve reklamcılık"),
    "0415": ("Secretarial and office work", "Sekreterlik ve büro işleri"),
    "0416": ("Wholesale and retail sales", "Toptan ve perakende satış"),
    "0417": ("Work skills", "İş becerileri"),
    "0421": ("Law", "Hukuk"),
    "0511": ("Biology", "Biyoloji"),
    "0512": ("Biochemistry", "Biyokimya"),
    "0521": ("Environmental sciences", "Çevre bilimleri"),
    "0522": ("Natural environments and wildlife", "Doğal çevre ve yaban hayatı"),
    "0531": ("Chemistry", "Kimya"),
    "0532": ("Earth sciences", "Yer bilimleri"),
    "0533": ("Physics", "Fizik"),
    "0541": ("Mathematics", "Matematik"),
    "0542": ("Statistics", "İstatistik"),
    "0611": ("Computer use", "Bilgisayar kullanımı"),
    "0612": ("Database and network design and administration", "Veri tabanı ve ağ tasarımı ve yönetimi"),
    "0613": ("Software and applications development and analysis", "Yazılım ve uygulama geliştirme ve analizi"),
    "0711": ("Chemical engineering and processes", "Kimya mühendisliği ve süreçleri"),
    "0712": ("Environmental protection technology", "Çevre koruma teknolojisi"),
    "0713": ("Electricity and energy", "Elektrik ve enerji"),
    "0714": ("Electronics and automation", "Elektronik ve otomasyon"),
    "0715": ("Mechanics and metal trades", "Mekanik ve metal işleri"),
    "0716": ("Motor vehicles, ships and aircraft", "Motorlu taşıtlar, gemiler ve uçaklar"),
    "0721": ("Food processing", "Gıda işleme"),
    "0722": ("Materials (glass, paper, plastic and wood)", "Malzemeler (cam, kâğıt, plastik ve ahşap)"),
    "0723": ("Textiles (clothes, footwear and leather)", "Tekstil (giyim, ayakkabı ve deri)"),
    "0724": ("Mining and extraction", "Madencilik ve çıkarma"),
    "0731": ("Architecture and town planning", "Mimarlık ve şehir planlama"),
    "0732": ("Building and civil engineering", "Yapı ve inşaat mühendisliği"),
    "0811": ("Crop and livestock production", "Bitkisel ve hayvansal üretim"),
    "0812": ("Horticulture", "Bahçecilik"),
    "0821": ("Forestry", "Ormancılık"),
    "0831": ("Fisheries", "Su ürünleri"),
    "0841": ("Veterinary", "Veterinerlik"),
    "0911": ("Dental studies", "Diş hekimliği"),
    "0912": ("Medicine", "Tıp"),
    "0913": ("Nursing and midwifery", "Hemşirelik ve ebelik"),
    "0914": ("Medical diagnostic and treatment technology", "Tıbbi teşhis ve tedavi teknolojisi"),
    "0915": ("Therapy and rehabilitation", "Terapi ve rehabilitasyon"),
    "0916": ("Pharmacy", "Eczacılık"),
    "0917": ("Traditional and complementary medicine and therapy", "Geleneksel ve tamamlayıcı tıp ve terapi"),
    "0921": ("Care of the elderly and of disabled adults", "Yaşlı ve engelli yetişkin bakımı"),
    "0922": ("Child care and youth services", "Çocuk bakımı ve gençlik hizmetleri"),
    "0923": ("Social work and counselling", "Sosyal hizmet ve danışmanlık"),
    "1011": ("Domestic services", "Ev hizmetleri"),
    "1012": ("Hair and beauty services", "Kuaförlük ve güzellik hizmetleri"),
    "1013": ("Hotel, restaurants and catering", "Otel, restoran ve yiyecek-içecek hizmetleri"),
    "1014": ("Sports", "Spor"),
    "1015": ("Travel, tourism and leisure", "Seyahat, turizm ve boş zaman"),
    "1021": ("Community sanitation", "Toplum sağlığı ve temizlik hizmetleri"),
    "1022": ("Occupational health and safety", "İş sağlığı ve güvenliği"),
    "1031": ("Military and defence", "Askerlik ve savunma"),
    "1032": ("Protection of persons and property", "Kişi ve mülk koruma"),
    "1041": ("Transport services", "Ulaştırma hizmetleri"),
    "9999": ("Field unknown", "Alan bilinmiyor"),
}

# The not-further-defined and not-elsewhere-classified codes of broad fields, and inter-disciplinary ones.
BROAD_NFD = ("0000", "0200", "0300", "0400", "0500", "0700", "0800", "0900", "1000")
BROAD_NEC = ("0099", "0299", "0399", "0499", "0599", "0799", "0899", "0999", "1099")
INTERDISCIPLINARY = ("0188", "0288", "0388", "0488", "0588", "0688", "0788", "0888", "0988", "1088")
NARROW_NFD = ("0110", "0210", "0220", "0230", "0310", "0320", "0410", "0510", "0520", "0530", "0540", "0610",
              "0710", "0720", "0730", "0810", "0910", "0920", "1010", "1020", "1030")
NARROW_NEC = ("0119", "0219", "0229", "0239", "0319", "0329", "0419", "0519", "0529", "0539", "0619", "0719",
              "0729", "0819", "0919", "0929", "1019", "1029", "1039")


def _nfd(label):
    return (f"{label[0]} not further defined", f"{label[1]} (ayrıntılı tanımlanmamış)")


def _nec(label):
    return (f"{label[0]} not elsewhere classified", f"{label[1]} (başka yerde sınıflandırılmamış)")


def _inter(label):
    return (f"Inter-disciplinary programmes and qualifications involving {label[0][0].lower()}{label[0][1:]}",
            f"{label[1]} alanını içeren disiplinlerarası programlar ve yeterlilikler")


def _build() -> dict[str, tuple[str, str]]:
    fields = dict(SPECIFIC)
    fields.update({code: _nfd(BROAD[code[:2]]) for code in BROAD_NFD})
    fields.update({code: _nec(BROAD[code[:2]]) for code in BROAD_NEC})
    fields.update({code: _inter(BROAD[code[:2]]) for code in INTERDISCIPLINARY})
    fields.update({code: _nfd(NARROW[code[:3]]) for code in NARROW_NFD})
    fields.update({code: _nec(NARROW[code[:3]]) for code in NARROW_NEC})
    # "Information and Communication Technologies" is one field that is also its broad field.
    fields["0610"] = _nfd(BROAD["06"])
    fields["0619"] = _nec(BROAD["06"])
    return dict(sorted(fields.items()))


DETAILED: dict[str, tuple[str, str]] = _build()


def isced_label(code: str, language: str | None = None) -> str:
    en, tr = DETAILED[code]
    return tr if (language or get_language() or "tr").startswith("tr") else en


def isced_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped by broad field, for a select; labels in the active language."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code in DETAILED:
        groups.setdefault(code[:2], []).append((code, f"{code} {isced_label(code)}"))
    lang_tr = (get_language() or "tr").startswith("tr")
    return [(f"{broad} {BROAD[broad][1 if lang_tr else 0]}", items) for broad, items in groups.items()]
