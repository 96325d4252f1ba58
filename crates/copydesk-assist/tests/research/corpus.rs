//! A deterministic corpus of short customer texts with planted themes, for the research quality
//! test and the 100,000-text benchmark. No files, no clock: the same seed gives the same texts.
//!
//! Each theme has a dozen sentence shapes with slots filled from synonym lists, shared openers
//! and closers (so themes share generic words such as "app", "fix" or "recommend"), and typos
//! (two letters swapped in about one word in thirty). Noise is chatter assembled from large
//! word lists, so no two noise texts are likely to share more than a word.

#![allow(dead_code)]

use copydesk_assist::research::Item;

/// SplitMix64, so the corpus does not depend on a `rand` version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[self.below(list.len())]
    }
}

/// A planted theme: its name, words any fair label would contain, sentence shapes and slots.
pub struct ThemeSpec {
    pub name: &'static str,
    pub key_words: &'static [&'static str],
    templates: &'static [&'static str],
    slots: &'static [(&'static str, &'static [&'static str])],
}

const OPENERS: &[&str] = &[
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "Honestly, ",
    "Ugh. ",
    "Update: ",
    "To be fair, ",
    "Sadly, ",
    "Hmm. ",
    "Well, ",
    "So ",
    "Overall ",
    "Look, ",
    "FYI: ",
    "Meh. ",
    "Wow. ",
    "Okay so ",
    "I like the app but ",
    "Love the design but ",
];

const CLOSERS: &[&str] = &[
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    " Please fix.",
    " Otherwise fine.",
    " Would not recommend.",
    " Thanks.",
    " Disappointed.",
    " Annoying.",
    " Sigh.",
    " 2/5.",
    " Not great.",
    " Fix it!",
    " Just saying.",
    " Meh.",
    " Come on.",
    " 3 stars.",
];

pub const BATTERY: ThemeSpec = ThemeSpec {
    name: "battery life",
    key_words: &["battery", "charge", "charging", "drain"],
    templates: &[
        "{the} battery {dies} {when}.",
        "Battery life is {bad}.",
        "{the} battery life {verb_bad} since the last update.",
        "I have to charge the battery {often}.",
        "Why does the battery drain so fast?",
        "The battery won't hold a charge {when} anymore.",
        "Battery {dies} {when}, {bad} battery life.",
        "Charging the battery {often} is not acceptable for a {device}.",
        "The {device} battery drains {when} even with everything off.",
        "After a full charge the battery {dies} {when}.",
        "{bad} battery. It lasts maybe {hours}.",
        "My battery barely lasts {hours} now.",
        "Battery drain is {bad}, I charge {often}.",
        "Can't get through {hours} on one charge.",
    ],
    slots: &[
        ("the", &["The", "My", "This", "Our"]),
        (
            "dies",
            &[
                "dies", "is dead", "runs out", "is empty", "gives up", "drains",
            ],
        ),
        (
            "when",
            &[
                "by lunchtime",
                "before noon",
                "in a few hours",
                "overnight",
                "by midday",
                "within hours",
                "halfway through the day",
            ],
        ),
        (
            "bad",
            &[
                "terrible",
                "awful",
                "poor",
                "really bad",
                "disappointing",
                "shocking",
                "abysmal",
            ],
        ),
        (
            "verb_bad",
            &["got worse", "dropped a lot", "is much shorter", "tanked"],
        ),
        (
            "often",
            &[
                "twice a day",
                "three times a day",
                "every few hours",
                "constantly",
                "all the time",
            ],
        ),
        ("device", &["phone", "tablet", "watch", "device"]),
        (
            "hours",
            &[
                "four hours",
                "half a day",
                "a morning",
                "two hours",
                "six hours",
            ],
        ),
    ],
};

pub const SUPPORT: ThemeSpec = ThemeSpec {
    name: "customer support wait times",
    key_words: &[
        "support",
        "service",
        "agent",
        "wait",
        "hold",
        "response",
        "reply",
        "help desk",
        "customer care",
        "ticket",
    ],
    templates: &[
        "I waited {duration} on hold for {support}.",
        "{support} never answered my ticket.",
        "{support} takes {days} to reply.",
        "No response from {support} after {days}.",
        "The live chat support agent kept me waiting {duration}.",
        "{support} is so slow to respond.",
        "Called {support} twice and still no answer after {duration} on hold.",
        "Opened a ticket {days} ago, {support} still hasn't replied.",
        "Waiting {duration} for a support agent is ridiculous.",
        "Response times from {support} are {slow}.",
        "{support} put me on hold for {duration} and then hung up.",
        "It took {days} to get a reply from {support}.",
        "Nobody from {support} ever picks up the phone.",
    ],
    slots: &[
        (
            "support",
            &[
                "customer support",
                "support",
                "the support team",
                "support staff",
                "customer service",
                "tech support",
            ],
        ),
        (
            "duration",
            &[
                "an hour",
                "two hours",
                "45 minutes",
                "forever",
                "over an hour",
                "30 minutes",
                "ages",
            ],
        ),
        (
            "days",
            &["days", "a week", "three days", "two weeks", "five days"],
        ),
        (
            "slow",
            &[
                "terrible",
                "painfully slow",
                "unacceptable",
                "way too long",
                "awful",
            ],
        ),
    ],
};

pub const PRICING: ThemeSpec = ThemeSpec {
    name: "pricing",
    key_words: &[
        "price",
        "pricing",
        "expensive",
        "cost",
        "overpriced",
        "subscription",
    ],
    templates: &[
        "Way too expensive, the price is {bad}.",
        "The subscription price went up {again}.",
        "Not worth the price, {cheaper} alternatives exist.",
        "{amount} a month is a crazy price for this.",
        "The premium plan price is too high.",
        "Pricing is {bad} and overpriced.",
        "I can't justify paying {amount} a month, the price is {bad}.",
        "They raised the price {again} without telling us.",
        "Too expensive since the price increase, I'm cancelling my subscription.",
        "Great features but the price is {bad}.",
        "Why is the {plan} plan priced at {amount}?",
        "Overpriced. {cheaper} options do the same for a lower price.",
        "Not worth the money at this price.",
    ],
    slots: &[
        (
            "again",
            &["again", "for the second time", "this year", "last month"],
        ),
        ("cheaper", &["Cheaper", "Better", "Free", "Lower cost"]),
        ("amount", &["$30", "$25", "$40", "20 euros", "$15", "$50"]),
        (
            "bad",
            &["ridiculous", "confusing", "too high", "steep", "a joke"],
        ),
        ("plan", &["basic", "family", "pro", "business"]),
    ],
};

pub const ONBOARDING: ThemeSpec = ThemeSpec {
    name: "onboarding and setup",
    key_words: &["setup", "set up", "onboarding", "install", "installation"],
    templates: &[
        "Setup was {hard}.",
        "It took me {duration} to finish the account setup.",
        "The onboarding tutorial skips {steps} of the setup.",
        "Installation failed {times} during setup.",
        "Pairing the {device} during setup was a nightmare.",
        "The initial setup is too complicated.",
        "Onboarding was {hard}, the setup almost made me give up.",
        "Couldn't finish the setup wizard, it kept {failing}.",
        "Account setup took {duration} and {times} restarts.",
        "The setup instructions are {hard}.",
        "Onboarding emails don't explain {steps} of the setup.",
        "Getting started with the setup was {hard}.",
    ],
    slots: &[
        (
            "hard",
            &[
                "confusing",
                "a pain",
                "so complicated",
                "frustrating",
                "unclear",
                "a mess",
            ],
        ),
        ("duration", &["an hour", "all evening", "two hours", "ages"]),
        (
            "steps",
            &[
                "important steps",
                "the basics",
                "half the steps",
                "the key settings",
            ],
        ),
        ("times", &["twice", "three times", "repeatedly"]),
        ("device", &["device", "sensor", "hub", "speaker"]),
        (
            "failing",
            &["crashing", "freezing", "looping", "timing out"],
        ),
    ],
};

pub const SHIPPING: ThemeSpec = ThemeSpec {
    name: "shipping delays",
    key_words: &[
        "shipping", "delivery", "package", "order", "parcel", "shipped", "courier", "late", "delay",
    ],
    templates: &[
        "My order arrived {late}, {delivery} is {slow}.",
        "{Delivery} took forever.",
        "The package was delayed, {delivery} {late}.",
        "Delivery was late and the box was damaged.",
        "Still waiting for my package after {days}, {delivery} is {slow}.",
        "The courier lost the parcel, worst delivery ever.",
        "Order shipped {late}, delivery tracking never updated.",
        "{Delivery} is {slow}, {days} for a small package.",
        "Delivery took {days} instead of three days.",
        "The parcel arrived {late} with no explanation.",
        "{Delivery} was {late} again.",
    ],
    slots: &[
        (
            "late",
            &[
                "two weeks late",
                "a week late",
                "days late",
                "very late",
                "late again",
            ],
        ),
        ("days", &["three weeks", "ten days", "a month", "two weeks"]),
        (
            "slow",
            &["so slow", "painfully slow", "a joke", "unreliable"],
        ),
        (
            "delivery",
            &["delivery", "shipping", "delivery", "the delivery service"],
        ),
        (
            "Delivery",
            &["Delivery", "Shipping", "Delivery", "The delivery"],
        ),
    ],
};

pub const CRASHES: ThemeSpec = ThemeSpec {
    name: "app crashes",
    key_words: &["crash", "crashes", "crashing", "freezes", "bug"],
    templates: &[
        "The app crashes {when}.",
        "Crashes {when}, {bad}.",
        "App keeps crashing since the {version} update.",
        "It freezes and crashes {when}.",
        "Constant crashes make it unusable.",
        "Crashed {times} today {when}.",
    ],
    slots: &[
        (
            "when",
            &[
                "every time I open it",
                "on startup",
                "when I upload a photo",
                "randomly",
                "at checkout",
            ],
        ),
        ("bad", &["super buggy", "so unstable", "unusable"]),
        ("version", &["latest", "new", "last", "3.2"]),
        ("times", &["five times", "twice", "again"]),
    ],
};

pub const DARK_MODE: ThemeSpec = ThemeSpec {
    name: "dark mode request",
    key_words: &["dark", "mode", "theme"],
    templates: &[
        "Please add a dark mode.",
        "Dark mode {please}.",
        "Would love a dark theme {for}.",
        "No dark mode in {year}? {really}",
        "The white screen hurts my eyes {for}, dark mode needed.",
    ],
    slots: &[
        ("please", &["please", "when?", "is overdue", "is a must"]),
        (
            "for",
            &[
                "at night",
                "for late evenings",
                "in bed",
                "for night shifts",
            ],
        ),
        ("year", &["2024", "this day and age", "this year"]),
        ("really", &["Really?", "Come on.", "Seriously.", ""]),
    ],
};

pub const CAMERA: ThemeSpec = ThemeSpec {
    name: "camera quality",
    key_words: &["camera", "photos", "pictures", "photo", "quality"],
    templates: &[
        "The camera takes {good} photos.",
        "Photo quality is {good}, even {when}.",
        "Love the camera, pictures look {good}.",
        "Camera is the best part, {good} pictures {when}.",
        "Night photos are {good} with this camera.",
    ],
    slots: &[
        (
            "good",
            &["amazing", "stunning", "great", "excellent", "gorgeous"],
        ),
        (
            "when",
            &["in low light", "at night", "indoors", "on cloudy days"],
        ),
    ],
};

/// The five themes of the quality test, in size order.
pub const QUALITY_THEMES: [&ThemeSpec; 5] = [&BATTERY, &SUPPORT, &PRICING, &ONBOARDING, &SHIPPING];

/// The eight themes of the benchmark corpus.
pub const BENCH_THEMES: [&ThemeSpec; 8] = [
    &BATTERY,
    &SUPPORT,
    &PRICING,
    &ONBOARDING,
    &SHIPPING,
    &CRASHES,
    &DARK_MODE,
    &CAMERA,
];

const NOISE_SUBJECTS: &[&str] = &[
    "My cat",
    "The neighbour",
    "Grandma",
    "Our dog",
    "My cousin",
    "The barista",
    "A pigeon",
    "The mailman",
    "My roommate",
    "Uncle Bob",
    "The toddler",
    "Our landlord",
    "A squirrel",
    "The goalkeeper",
    "My yoga teacher",
    "The bus driver",
    "A tourist",
    "The chef",
    "Aunt Rosa",
    "The lifeguard",
    "My nephew",
    "The florist",
    "A raccoon",
    "The drummer",
    "Our vicar",
    "The janitor",
    "My grandpa",
    "A parrot",
    "The referee",
    "The magician",
    "Little Timmy",
    "The beekeeper",
    "My sister",
    "The sailor",
    "A hedgehog",
    "The poet",
    "The carpenter",
    "Our choir",
    "The astronaut",
    "My godmother",
    "The shepherd",
];
const NOISE_VERBS: &[&str] = &[
    "knocked over",
    "painted",
    "baked",
    "found",
    "borrowed",
    "juggled",
    "photographed",
    "sang about",
    "knitted",
    "chased",
    "repaired",
    "collected",
    "ate",
    "hid",
    "sold",
    "adopted",
    "sketched",
    "planted",
    "polished",
    "wrapped",
    "carved",
    "stole",
    "buried",
    "decorated",
    "sniffed",
    "inherited",
    "dropped",
    "tickled",
    "raffled",
    "framed",
    "smuggled",
    "rescued",
    "balanced",
    "folded",
    "weighed",
    "blessed",
    "measured",
];
const NOISE_OBJECTS: &[&str] = &[
    "a pumpkin",
    "the garden gnome",
    "three umbrellas",
    "a sourdough loaf",
    "the trophy",
    "a kite",
    "some tulips",
    "the lawnmower",
    "a violin",
    "two pineapples",
    "the canoe",
    "a scarf",
    "the chessboard",
    "a bicycle bell",
    "the aquarium",
    "a telescope",
    "the birthday cake",
    "a harmonica",
    "a cactus",
    "the scarecrow",
    "a lobster",
    "the wheelbarrow",
    "a snow globe",
    "the piano stool",
    "a pinecone",
    "the lantern",
    "a teapot",
    "the hammock",
    "some marbles",
    "a saxophone",
    "the weathervane",
    "a croissant",
    "the surfboard",
    "a thimble",
    "the sundial",
    "a cauliflower",
    "the tuba",
    "a yo-yo",
    "the compass rose",
    "a watermelon",
    "the rocking horse",
    "a kettlebell",
    "the fountain pen",
];
const NOISE_PLACES: &[&str] = &[
    "",
    "",
    "",
    "yesterday",
    "this morning",
    "lol",
    "at the festival",
    "before brunch",
    "on Sunday",
    "near the river",
    "during the match",
    "for the wedding",
    "at the market",
    "after karaoke",
    "again haha",
    "in the attic",
    "at the zoo",
    "on the ferry",
    "behind the bakery",
    "at midnight",
    "in the rain",
    "on the rooftop",
    "at the picnic",
    "by the lighthouse",
    "in the library",
    "at the carnival",
    "under the bridge",
    "in the greenhouse",
    "at the harbour",
    "on the tram",
    "in the orchard",
];

/// Noise text number `i`: chatter unrelated to any product. Each word bank is walked with a
/// different stride from a random start, so the first forty or so noise texts share no words.
pub fn noise_text(i: usize, start: usize) -> String {
    let at = |bank: &[&'static str], stride: usize| bank[(start + i * stride) % bank.len()];
    let place = at(NOISE_PLACES, 7);
    format!(
        "{} {} {}{}{}",
        at(NOISE_SUBJECTS, 1),
        at(NOISE_VERBS, 1),
        at(NOISE_OBJECTS, 1),
        if place.is_empty() { "" } else { " " },
        place
    )
}

/// One text of `theme`.
pub fn theme_text(theme: &ThemeSpec, rng: &mut Rng) -> String {
    let template = rng.pick(theme.templates);
    let mut core = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        core.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        let choices = theme
            .slots
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[""][..], |(_, c)| *c);
        core.push_str(rng.pick(choices));
        rest = &rest[open + close + 1..];
    }
    core.push_str(rest);
    let opener = rng.pick(OPENERS);
    if !opener.is_empty() && opener.ends_with("but ") {
        // "…but the battery dies": lower-case the first letter after a joining opener
        let mut chars = core.chars();
        if let Some(first) = chars.next() {
            core = first.to_lowercase().chain(chars).collect();
        }
    }
    let text = format!("{opener}{core}{}", rng.pick(CLOSERS));
    typos(&text, rng)
}

/// Swaps two inner letters of about one word in thirty (words of five letters or more).
fn typos(text: &str, rng: &mut Rng) -> String {
    text.split(' ')
        .map(|w| {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() >= 5 && chars.iter().all(|c| c.is_alphabetic()) && rng.chance(1.0 / 30.0)
            {
                let i = 1 + rng.below(chars.len() - 3);
                let mut c = chars.clone();
                c.swap(i, i + 1);
                c.into_iter().collect()
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Items from `themes` with the given sizes plus `noise` noise items, shuffled, with their
/// truth: the index of the planted theme, or `None` for noise. Ids are 1-based positions.
pub fn generate(
    seed: u64,
    themes: &[(&ThemeSpec, usize)],
    noise: usize,
) -> (Vec<Item>, Vec<Option<usize>>) {
    let mut rng = Rng::new(seed);
    let mut planted: Vec<Option<usize>> = Vec::new();
    for (t, &(_, size)) in themes.iter().enumerate() {
        planted.extend(std::iter::repeat_n(Some(t), size));
    }
    planted.extend(std::iter::repeat_n(None, noise));
    for i in (1..planted.len()).rev() {
        let j = rng.below(i + 1);
        planted.swap(i, j);
    }
    let start = rng.below(1000);
    let mut noise_seen = 0;
    let items = planted
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let text = match p {
                Some(t) => theme_text(themes[*t].0, &mut rng),
                None => {
                    noise_seen += 1;
                    noise_text(noise_seen, start)
                }
            };
            Item::new(i + 1, text)
        })
        .collect();
    (items, planted)
}
