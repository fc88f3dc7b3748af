"""GIFT as Moodle documents it: the examples of its documentation, escapes, errors with line numbers, round trips."""

from kizuna.assessments.gift import GiftQuestion, gift_parse, gift_write


def parse_one(text):
    questions, errors = gift_parse(text)
    assert errors == []
    assert len(questions) == 1
    return questions[0]


def options(q):
    return [(o["text"], o["weight"], o["feedback"]) for o in q.data["options"]]


# --- The examples of Moodle's "GIFT format" documentation page ------------------------------------------


def test_multiple_choice_and_the_missing_word_format():
    q = parse_one("Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}")
    assert (q.type, q.text) == ("single", "Who's buried in Grant's tomb?")
    assert options(q) == [("Grant", 0, ""), ("Jefferson", 0, ""), ("no one", 100, "")]
    q = parse_one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert q.text == "Grant is _____ in Grant's tomb."
    q = parse_one(
        "::Thanksgiving Date::The American holiday of Thanksgiving is\n"
        "celebrated on the {~second ~third =fourth} Thursday of November."
    )
    assert q.title == "Thanksgiving Date"
    assert q.text == "The American holiday of Thanksgiving is\ncelebrated on the _____ Thursday of November."


def test_answers_on_separate_indented_lines():
    q = parse_one(
        "Japanese characters originally came from what country? {\n     ~India\n     =China\n     ~Korea\n     ~Egypt}"
    )
    assert [o[0] for o in options(q)] == ["India", "China", "Korea", "Egypt"]


def test_true_false():
    assert parse_one("Grant is buried in Grant's tomb.{F}").data["answer"] is False
    assert parse_one("The sun rises in the east.{T}").data["answer"] is True
    assert parse_one("1+1=2 {TRUE}").data["answer"] is True
    q = parse_one("Grant is buried in Grant's tomb.{FALSE#No one is buried in Grant's tomb.}")
    # The first feedback is for a wrong answer: here, for choosing true.
    assert q.data == {"answer": False, "feedback_true": "No one is buried in Grant's tomb.", "feedback_false": ""}


def test_short_answer():
    q = parse_one("Who's buried in Grant's tomb?{=no one =nobody}")
    assert q.type == "short"
    assert [(a["text"], a["weight"]) for a in q.data["answers"]] == [("no one", 100), ("nobody", 100)]
    assert parse_one("Two plus two equals {=four =4}.").text == "Two plus two equals _____."


def test_matching():
    q = parse_one(
        "Match the following countries with their corresponding capitals. {\n"
        "    =Canada -> Ottawa\n    =Italy  -> Rome\n    =Japan  -> Tokyo\n    =India  -> New Delhi\n"
        "    ####It's good to know the capitals\n}"
    )
    assert q.type == "matching"
    assert [(p["left"], p["right"]) for p in q.data["pairs"]] == [
        ("Canada", "Ottawa"),
        ("Italy", "Rome"),
        ("Japan", "Tokyo"),
        ("India", "New Delhi"),
    ]
    assert q.explanation == "It's good to know the capitals"


def test_numerical_tolerance_range_and_several_answers():
    q = parse_one("When was Ulysses S. Grant born?{#1822:5}")
    assert q.data["answers"][0] | {"id": "1"} == {
        "id": "1",
        "kind": "tolerance",
        "value": 1822.0,
        "tolerance": 5.0,
        "weight": 100.0,
        "feedback": "",
    }
    q = parse_one("What is the value of pi (to 3 decimal places)? {#3.141..3.142}.")
    assert (q.text, q.data["answers"][0]["kind"], q.data["answers"][0]["min"]) == (
        "What is the value of pi (to 3 decimal places)? _____.",
        "range",
        3.141,
    )
    q = parse_one(
        "When was Ulysses S. Grant born? {#\n"
        "    =1822:0      # Correct! Full credit.\n"
        "    =%50%1822:2  # He was born in 1822. Half credit for being close.\n}"
    )
    assert [(a["value"], a["tolerance"], a["weight"], a["feedback"]) for a in q.data["answers"]] == [
        (1822.0, 0.0, 100.0, "Correct! Full credit."),
        (1822.0, 2.0, 50.0, "He was born in 1822. Half credit for being close."),
    ]
    assert parse_one("What's 2 plus 2? {#4}").data["answers"][0]["value"] == 4.0


def test_comments_and_question_names():
    q = parse_one(
        "// Subheading: Numerical questions below\n"
        "::Kanji Origins::Japanese characters originally\ncame from what country? {=China}"
    )
    assert (q.title, q.text, q.type) == (
        "Kanji Origins",
        "Japanese characters originally\ncame from what country?",
        "short",
    )


def test_feedback_and_percentage_weights():
    q = parse_one(
        "What's the answer to this multiple-choice question? {\n"
        "~wrong answer#feedback comment on the wrong answer\n"
        "~another wrong answer#feedback comment on this wrong answer\n"
        "=right answer#Very good!}"
    )
    assert options(q)[2] == ("right answer", 100, "Very good!")
    assert options(q)[0] == ("wrong answer", 0, "feedback comment on the wrong answer")
    q = parse_one(
        "::Jesus' hometown::Jesus Christ was from {\n"
        "    ~Jerusalem#This was an important city, but the wrong answer.\n"
        "    ~%25%Bethlehem#He was born here, but not raised here.\n"
        "    ~%50%Galilee#You need to be more specific.\n"
        "    =Nazareth#Yes! That's right!\n}"
    )
    assert [o[1] for o in options(q)] == [0, 25, 50, 100]
    q = parse_one(
        "::Jesus' hometown:: Jesus Christ was from {\n"
        "    =Nazareth#Yes! That's right!\n    =%75%Nazereth#Right, but misspelled.\n"
        "    =%25%Bethlehem#He was born here, but not raised here.\n}"
    )
    assert [(a["text"], a["weight"]) for a in q.data["answers"]] == [
        ("Nazareth", 100),
        ("Nazereth", 75),
        ("Bethlehem", 25),
    ]


def test_multiple_answers():
    q = parse_one(
        "What two people are entombed in Grant's tomb? {\n"
        "    ~%-100%No one\n    ~%50%Grant\n    ~%50%Grant's wife\n    ~%-100%Grant's father\n}"
    )
    assert q.type == "multiple"
    assert [o[1] for o in options(q)] == [-100, 50, 50, -100]


def test_special_characters_are_escaped_with_a_backslash():
    q = parse_one("Which answer equals 5? {\n    ~ \\= 2 + 2\n    = \\= 2 + 3\n    ~ \\= 2 + 4\n}")
    assert options(q) == [("= 2 + 2", 0, ""), ("= 2 + 3", 100, ""), ("= 2 + 4", 0, "")]
    q = parse_one(
        "::GIFT Control Characters::\nWhich answer is not a GIFT control character? {\n"
        "    ~ \\~     #\\~ is a control character.\n"
        "    ~ \\=     #\\= is a control character.\n"
        "    ~ \\#     #\\# is a control character.\n"
        "    ~ \\{     #\\{ is a control character.\n"
        "    ~ \\}     #\\} is a control character.\n"
        "    = \\\\     #Correct! \\\\ (backslash) is not a control character. BUT,\n"
        "                      it is used to escape the control characters.\n}"
    )
    assert [o[0] for o in options(q)] == ["~", "=", "#", "{", "}", "\\"]
    assert options(q)[5][2].startswith("Correct! \\ (backslash) is not a control character. BUT,\n")
    assert parse_one("Colon\\: yes, newline\\nhere {T}").text == "Colon: yes, newline\nhere"


def test_category_format_tags_and_general_feedback():
    questions, errors = gift_parse(
        "$CATEGORY: $course$/top/製品/料金\n\n"
        "[markdown]**太字**の問題 {=yes ~no ####[markdown]解説は*ここ*}\n\n"
        "[html]<b>HTML</b> {T}"
    )
    assert errors == []
    assert questions[0].text == "**太字**の問題"
    assert questions[0].explanation == "解説は*ここ*"
    assert questions[0].topics == ["料金"]
    assert questions[1].text == "<b>HTML</b>"


def test_moodle_id_and_tag_comments_give_the_key_and_topics():
    q = parse_one("// question: 12  name: x\n// [id:abc-1] [tag:価格] [tag:a\\]b]\n::x::Q {T}")
    assert (q.key, q.topics) == ("abc-1", ["価格", "a]b"])


# --- Errors ---------------------------------------------------------------------------------------------


def test_errors_name_their_line_and_every_bad_question_is_reported():
    text = (
        "::ok::Fine {T}\n"  # 1
        "\n"
        "::no end::Missing brace {=a\n"  # 3
        "\n"
        "// a comment\n"  # 5
        "A description without answers\n"  # 6
        "\n"
        "Essay {}\n"  # 8
        "\n"
        "Numbers {#\n"  # 10
        "  =12:1\n"
        "  =abc}\n"  # 12
        "\n"
        "::open title Q {T}\n"  # 14
        "\n"
        "Weights {=a ~%150%b}\n"  # 16
    )
    questions, errors = gift_parse(text)
    # Text without answers is a description and {} an essay, as Moodle reads them (issue 14, item 19).
    assert [(q.title, q.type) for q in questions] == [("ok", "truefalse"), ("", "description"), ("", "essay")]
    assert [e.line for e in errors] == [3, 12, 14, 16]
    assert "{" in errors[0].message and "}" in errors[0].message


def test_bytes_that_are_not_utf8_are_an_error_on_their_line():
    questions, errors = gift_parse(b"Q1 {T}\n\nQ2 {F}\n" + b"\xff\xfe {T}")
    assert questions == [] and errors[0].line == 4


def test_an_empty_text_is_an_error():
    assert gift_parse("  \n// only a comment\n")[1][0].line == 1


# --- Writing --------------------------------------------------------------------------------------------


def test_written_questions_read_back_the_same():
    questions = [
        GiftQuestion(
            type="single",
            title="料金: 基本",
            text="料金は {月額} ですか? ~ = # \\ 100%\n2行目",
            data={
                "options": [
                    {"id": "1", "text": "%50% 割引", "weight": 100.0, "feedback": "正解 #1"},
                    {"id": "2", "text": "[html] じゃない", "weight": 0.0, "feedback": ""},
                    {"id": "3", "text": "半分", "weight": 33.33333, "feedback": "a -> b"},
                ]
            },
            explanation="**解説**: 月額です。\n\n- 箇条書き",
            topics=["価格", "営業 [基礎]"],
            key="0d6c7a9e-7c6d-4a8e-9a57-5f5a4a1f1e01",
        ),
        GiftQuestion(
            type="short",
            text="機能名は?",
            data={"answers": [{"id": "1", "text": "オート", "weight": 100.0, "feedback": "→ 次へ -> OK"}]},
        ),
    ]
    text = gift_write(questions)
    again, errors = gift_parse(text)
    assert errors == []
    assert again == questions
