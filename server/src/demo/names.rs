//! Czech names, places and products for the demo network.

/// Shops: code, name, street, town, postal code, phone.
pub const SHOPS: [(&str, &str, &str, &str, &str, &str); 9] = [
    ("PHA1", "Optika Praha Anděl", "Nádražní 32", "Praha 5", "150 00", "+420 257 000 101"),
    ("PHA2", "Optika Praha Chodov", "Roztylská 2321/19", "Praha 11", "148 00", "+420 272 000 102"),
    ("BRN1", "Optika Brno centrum", "Masarykova 12", "Brno", "602 00", "+420 542 000 103"),
    ("OVA1", "Optika Ostrava", "Nádražní 44", "Ostrava", "702 00", "+420 596 000 104"),
    ("PLZ1", "Optika Plzeň", "Americká 21", "Plzeň", "301 00", "+420 377 000 105"),
    ("OLO1", "Optika Olomouc", "Horní náměstí 8", "Olomouc", "779 00", "+420 585 000 106"),
    ("LBC1", "Optika Liberec", "Pražská 15", "Liberec", "460 01", "+420 485 000 107"),
    ("CBU1", "Optika České Budějovice", "Lannova třída 7", "České Budějovice", "370 01", "+420 387 000 108"),
    ("HKR1", "Optika Hradec Králové", "Gočárova třída 1", "Hradec Králové", "500 02", "+420 495 000 109"),
];

/// Regions advisers cover, matching the shops' order.
pub const REGIONS: [&str; 9] = [
    "Praha a Střední Čechy – západ",
    "Praha a Střední Čechy – východ",
    "Jihomoravský kraj",
    "Moravskoslezský kraj",
    "Plzeňský kraj",
    "Olomoucký kraj",
    "Liberecký kraj",
    "Jihočeský kraj",
    "Královéhradecký kraj",
];

/// Female first names.
pub const FEMALE_NAMES: &[&str] = &[
    "Jana", "Marie", "Eva", "Hana", "Anna", "Lenka", "Kateřina", "Věra", "Lucie", "Alena", "Petra", "Jaroslava",
    "Veronika", "Martina", "Ludmila", "Helena", "Jitka", "Tereza", "Zdeňka", "Michaela", "Ivana", "Monika", "Zuzana",
    "Markéta", "Barbora", "Dagmar", "Kristýna", "Vlasta", "Božena", "Irena",
];

/// Male first names.
pub const MALE_NAMES: &[&str] = &[
    "Jiří", "Jan", "Petr", "Josef", "Pavel", "Martin", "Jaroslav", "Tomáš", "Miroslav", "Zdeněk", "František",
    "Václav", "Michal", "Karel", "Milan", "Vladimír", "Lukáš", "David", "Jakub", "Ladislav", "Stanislav", "Roman",
    "Ondřej", "Radek", "Marek", "Daniel", "Vojtěch", "Filip", "Aleš", "Antonín",
];

/// Surnames: (male form, female form).
pub const SURNAMES: &[(&str, &str)] = &[
    ("Novák", "Nováková"), ("Svoboda", "Svobodová"), ("Novotný", "Novotná"), ("Dvořák", "Dvořáková"),
    ("Černý", "Černá"), ("Procházka", "Procházková"), ("Kučera", "Kučerová"), ("Veselý", "Veselá"),
    ("Horák", "Horáková"), ("Němec", "Němcová"), ("Pokorný", "Pokorná"), ("Marek", "Marková"),
    ("Pospíšil", "Pospíšilová"), ("Hájek", "Hájková"), ("Jelínek", "Jelínková"), ("Král", "Králová"),
    ("Růžička", "Růžičková"), ("Beneš", "Benešová"), ("Fiala", "Fialová"), ("Sedláček", "Sedláčková"),
    ("Doležal", "Doležalová"), ("Zeman", "Zemanová"), ("Kolář", "Kolářová"), ("Navrátil", "Navrátilová"),
    ("Čermák", "Čermáková"), ("Vaněk", "Vaňková"), ("Urban", "Urbanová"), ("Blažek", "Blažková"),
    ("Kříž", "Křížová"), ("Kovář", "Kovářová"), ("Bartoš", "Bartošová"), ("Vlček", "Vlčková"),
    ("Polák", "Poláková"), ("Musil", "Musilová"), ("Kopecký", "Kopecká"), ("Šimek", "Šimková"),
    ("Konečný", "Konečná"), ("Malý", "Malá"), ("Holub", "Holubová"), ("Štěpánek", "Štěpánková"),
];

/// Towns with postal codes.
pub const TOWNS: &[(&str, &str)] = &[
    ("Praha 4", "140 00"), ("Praha 6", "160 00"), ("Praha 10", "100 00"), ("Kladno", "272 01"),
    ("Beroun", "266 01"), ("Mladá Boleslav", "293 01"), ("Kolín", "280 02"), ("Brno", "602 00"),
    ("Blansko", "678 01"), ("Vyškov", "682 01"), ("Znojmo", "669 02"), ("Ostrava", "702 00"),
    ("Opava", "746 01"), ("Frýdek-Místek", "738 01"), ("Karviná", "733 01"), ("Plzeň", "301 00"),
    ("Klatovy", "339 01"), ("Rokycany", "337 01"), ("Olomouc", "779 00"), ("Prostějov", "796 01"),
    ("Přerov", "750 02"), ("Liberec", "460 01"), ("Jablonec nad Nisou", "466 01"), ("Česká Lípa", "470 01"),
    ("České Budějovice", "370 01"), ("Tábor", "390 01"), ("Písek", "397 01"), ("Hradec Králové", "500 02"),
    ("Náchod", "547 01"), ("Jičín", "506 01"),
];

/// Street names.
pub const STREETS: &[&str] = &[
    "Husova", "Palackého", "Nádražní", "Komenského", "Masarykova", "Školní", "Zahradní", "Havlíčkova",
    "Jiráskova", "Tyršova", "Smetanova", "Na Výsluní", "U Potoka", "Lipová", "Polní", "Krátká", "Sokolská",
    "Dlouhá", "Revoluční", "Bezručova",
];

/// Who measures prescriptions.
pub const OPTOMETRISTS: &[&str] = &["Bc. Jana Horáková", "Mgr. Petr Malý", "Bc. Lucie Fialová", "Mgr. Tomáš Kříž"];

/// Frame brands with a base price in CZK.
pub const FRAME_BRANDS: [(&str, i64); 20] = [
    ("Ray-Ban", 3290), ("Silhouette", 6990), ("Lindberg", 12990), ("Tom Ford", 8490), ("Oakley", 3990),
    ("Rodenstock", 4590), ("Marc O'Polo", 2790), ("Esprit", 1890), ("Guess", 2490), ("Hugo Boss", 4290),
    ("Carrera", 2990), ("Polaroid", 1490), ("Vogue", 2290), ("Lacoste", 3490), ("Tommy Hilfiger", 2890),
    ("Ana Hickmann", 2690), ("Dilem", 2390), ("Eschenbach", 2590), ("Humphrey's", 2190), ("Titanflex", 3790),
];

/// Prefixes of frame model names.
pub const MODEL_PREFIXES: [&str; 6] = ["RX", "VO", "TF", "SL", "CL", "ME"];

/// Frame colours.
pub const FRAME_COLOURS: [&str; 8] = [
    "černá matná", "havana", "zlatá", "stříbrná", "tmavě modrá", "bordó", "průhledná", "zelená želvovina",
];

/// Lens makers.
pub const LENS_BRANDS: [&str; 4] = ["Zeiss", "Hoya", "Essilor", "Rodenstock"];

/// Coatings: code, name, price per lens in CZK.
pub const COATINGS: &[(&str, &str, i64)] = &[
    ("AR", "Antireflexní vrstva", 690),
    ("HC", "Tvrzení", 390),
    ("BF", "Filtr modrého světla", 890),
    ("PH", "Fotochromatická úprava", 2490),
    ("TN", "Tónování", 590),
    ("HY", "Hydrofobní vrstva", 490),
];

/// Contact lenses: brand, product line, price per box in CZK.
pub const CONTACT_LENSES: &[(&str, &str, i64)] = &[
    ("Acuvue", "Oasys", 690), ("Acuvue", "Moist1Day", 890), ("Air Optix", "Aqua", 590), ("Air Optix", "HydraGlyde", 690),
    ("Biofinity", "Biofinity", 640), ("Dailies", "Total1", 1090), ("Biotrue", "ONEday", 790), ("Clariti", "1day", 590),
];

/// Accessories with prices in CZK.
pub const ACCESSORIES: &[(&str, i64)] = &[
    ("Pouzdro na brýle pevné", 249), ("Pouzdro na brýle měkké", 149), ("Čisticí utěrka z mikrovlákna", 79),
    ("Čisticí sprej 30 ml", 99), ("Šňůrka na brýle", 129), ("Roztok na kontaktní čočky 360 ml", 239),
    ("Pouzdro na kontaktní čočky", 49), ("Oční kapky zvlhčující", 189), ("Nosníky silikonové (pár)", 59),
    ("Sada šroubováčků", 149), ("Řetízek na brýle", 199), ("Dětská gumička na brýle", 119),
    ("Čisticí ubrousky 52 ks", 149), ("Ultrazvuková čistička", 990), ("Sluneční klip", 690),
    ("Skládací pouzdro", 299), ("Antifog sprej", 179), ("Cestovní sada na čočky", 199),
    ("Lupa kapesní", 349), ("Brýlový stojánek", 259),
];

/// Services with prices in CZK.
pub const SERVICES: &[(&str, i64)] = &[
    ("Měření zraku optometristou", 490), ("Zábrus a zasazení čoček", 390), ("Výjezd poradce k zákazníkovi", 0),
    ("Aplikace kontaktních čoček", 690), ("Servis a seřízení brýlí", 150), ("Výměna nosníků", 100),
    ("Kontrola zraku pro řidiče", 350), ("Expresní zhotovení", 590),
];
