"""A fixed, varied sentence set: 8 topics x 12 sentences (labelled, for the
downstream classifier) plus unlabelled oddities (empty, numbers, code, other
languages, emoji, and a paragraph longer than 128 tokens, which only a tokenizer
truncating at 256 like sentence-transformers keeps whole)."""

TOPICS = {
    "cooking": [
        "Whisk the eggs with a pinch of salt before pouring them into the hot pan.",
        "Slow-roasted tomatoes make a sweet, concentrated sauce for pasta.",
        "Let the bread dough rise in a warm place until it doubles in size.",
        "She seasoned the soup with thyme, bay leaves and cracked black pepper.",
        "Caramelise the onions over low heat for at least forty minutes.",
        "A good risotto needs warm stock added one ladle at a time.",
        "Marinate the chicken overnight in yoghurt, garlic and cumin.",
        "The chef plated the dessert with a drizzle of raspberry coulis.",
        "Blanch the green beans, then plunge them into iced water.",
        "Homemade dumplings are folded by hand and steamed in bamboo baskets.",
        "Sift the flour and cocoa together so the cake batter has no lumps.",
        "Toast the spices in a dry skillet until they become fragrant.",
    ],
    "sports": [
        "The striker scored twice in the second half to win the match.",
        "She broke the national record in the 400 metre hurdles.",
        "The home team lost the final after a tense penalty shoot-out.",
        "He trains six days a week for the upcoming marathon.",
        "The coach changed the defensive formation at half time.",
        "A late three-pointer sent the basketball game into overtime.",
        "The cyclist attacked on the final climb and won the stage.",
        "Tennis fans queued overnight for tickets to the championship.",
        "The goalkeeper made a brilliant save in stoppage time.",
        "Our rowing crew finished third in the regatta this morning.",
        "The referee showed a red card after a dangerous tackle.",
        "The swimmer qualified for the Olympic final with a personal best.",
    ],
    "weather": [
        "Heavy rain is expected across the region tomorrow afternoon.",
        "A cold front will bring snow to the mountains overnight.",
        "The heatwave pushed temperatures above forty degrees.",
        "Thick fog delayed flights at the airport this morning.",
        "Strong winds knocked down trees and power lines along the coast.",
        "The forecast says it will be sunny with light clouds all weekend.",
        "A thunderstorm rolled in just as the picnic started.",
        "Frost covered the fields after the clear, still night.",
        "The hurricane strengthened as it moved over warm ocean water.",
        "Humidity will stay high until the monsoon rains arrive.",
        "Meteorologists issued a flood warning for the river valley.",
        "It drizzled all day and the sky never cleared.",
    ],
    "computing": [
        "The compiler vectorises the inner loop with AVX2 instructions.",
        "Restart the server after updating the configuration file.",
        "Our database query is slow because the table has no index.",
        "The new laptop has sixteen gigabytes of memory and a fast SSD.",
        "Unit tests caught the bug before it reached production.",
        "He wrote a Python script to rename thousands of photos.",
        "The operating system update fixed a security vulnerability.",
        "Cache misses dominate the running time of this algorithm.",
        "Version control lets the team merge their changes safely.",
        "The neural network runs inference on the CPU in real time.",
        "A memory leak made the application crash after a few hours.",
        "Deploy the container image to the cluster with one command.",
    ],
    "finance": [
        "The central bank raised interest rates by a quarter point.",
        "Shares of the company fell sharply after the earnings report.",
        "She opened a savings account with a higher yield.",
        "Inflation eroded the purchasing power of household incomes.",
        "The investors diversified their portfolio with government bonds.",
        "Mortgage payments went up when the fixed rate expired.",
        "The startup raised twenty million dollars in its latest funding round.",
        "Quarterly revenue beat analyst expectations by five percent.",
        "The currency weakened against the dollar after the election.",
        "He pays off his credit card balance in full every month.",
        "The pension fund moved part of its assets into index funds.",
        "Stock markets rallied on hopes of lower borrowing costs.",
    ],
    "health": [
        "Regular exercise lowers the risk of heart disease.",
        "The doctor prescribed antibiotics for the bacterial infection.",
        "Drink plenty of water and rest if you have a fever.",
        "The vaccine trial showed strong protection against the virus.",
        "A balanced diet includes vegetables, whole grains and protein.",
        "The nurse measured his blood pressure and pulse.",
        "Lack of sleep affects concentration and mood.",
        "The patient recovered quickly after knee surgery.",
        "Physiotherapy helped her regain strength in the injured shoulder.",
        "Wash your hands often to stop infections from spreading.",
        "The clinic offers free screening for diabetes this week.",
        "Chronic stress can weaken the immune system.",
    ],
    "travel": [
        "We took the night train from Vienna to Venice.",
        "Remember to renew your passport before the trip.",
        "The hotel room had a balcony overlooking the harbour.",
        "Our flight was cancelled, so we rebooked for the next morning.",
        "They backpacked through the mountains of northern Vietnam.",
        "The museum tour was the highlight of our visit to the city.",
        "Pack light; the airline charges extra for checked luggage.",
        "We rented a car and drove along the coastal road.",
        "The guidebook recommends visiting the old town at sunrise.",
        "Customs officers checked our bags at the border crossing.",
        "A ferry connects the island to the mainland twice a day.",
        "She booked a cheap hostel near the central station.",
    ],
    "music": [
        "The orchestra performed Beethoven's ninth symphony last night.",
        "He practises scales on the piano every morning.",
        "The band released their new album on vinyl.",
        "Her voice soared over the choir in the final chorus.",
        "The guitarist tuned his strings before the concert began.",
        "Jazz musicians improvise over the chord changes.",
        "The festival line-up includes three famous rock groups.",
        "She learned to play the violin when she was six.",
        "The drummer kept a steady beat throughout the song.",
        "Streaming services changed how people discover music.",
        "The composer wrote the film score in just three weeks.",
        "A string quartet played softly during the wedding dinner.",
    ],
}

LONG_PARAGRAPH = (
    "In the late afternoon the old harbour town grew quiet: the fishing boats had come "
    "back with their catch, the market stalls were being folded away, gulls circled "
    "above the empty crates, and the smell of salt, diesel and fried fish drifted up "
    "the narrow streets towards the church on the hill. Children ran along the sea "
    "wall, daring each other to jump into the cold green water, while their parents "
    "sat outside the cafes and argued about football, the price of fuel, the new "
    "ferry timetable and whether the storm the radio had promised would really arrive "
    "before midnight. Nobody noticed the stranger who had stepped off the last bus "
    "with a battered suitcase, a folded map and a letter addressed to a house that, "
    "as far as anyone in town could remember, had been empty for more than twenty "
    "years, ever since the lighthouse keeper's family moved inland after the flood."
)

EXTRAS = [
    "",
    "Hello!",
    "42",
    "3.14159 is approximately pi, and e is about 2.71828.",
    "for (int i = 0; i < n; ++i) { y[i] = exp(x[i]); }",
    "Der schnelle braune Fuchs springt über den faulen Hund.",
    "Le chat dort sur le canapé pendant que la pluie tombe.",
    "東京は日本の首都です。",
    "I love this! 😀🎉",
    "THIS SENTENCE IS WRITTEN ENTIRELY IN CAPITAL LETTERS",
    "a a a a a a a a a a a a a a a a a a a a",
    "Is it possible that the meeting was moved to Thursday without anyone telling me?",
    LONG_PARAGRAPH,
]

TOPIC_NAMES = list(TOPICS)
LABELLED = [s for t in TOPIC_NAMES for s in TOPICS[t]]
LABELS = [i for i, t in enumerate(TOPIC_NAMES) for _ in TOPICS[t]]
SENTENCES = LABELLED + EXTRAS          # the order of the reference embeddings
