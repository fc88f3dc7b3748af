from django.urls import reverse

from kizuna.catalog import services as catalog
from kizuna.catalog.models import Product, Tag


def test_an_author_adds_a_product(cast, signed_in):
    client = signed_in(cast.author)
    response = client.post(reverse("catalog:studio_products"), {"name": "絆クラウド", "slug": "Kizuna-Cloud"})
    assert response.status_code == 302
    assert Product.objects.get().slug == "kizuna-cloud"
    assert "絆クラウド" in client.get(reverse("catalog:studio_products")).content.decode()


def test_it_refuses_a_product_code_that_is_taken(cast, signed_in):
    catalog.product_create(name="絆クラウド", slug="kizuna-cloud")
    response = signed_in(cast.author).post(
        reverse("catalog:studio_products"), {"name": "別製品", "slug": "kizuna-cloud"}
    )
    assert response.status_code == 200
    assert "このコードの製品はすでにあります" in response.content.decode()
    assert Product.objects.count() == 1


def test_the_tags_page_lists_the_five_story_tags(cast, signed_in):
    body = signed_in(cast.author).get(reverse("catalog:studio_tags")).content.decode()
    for name in ["創業者の想い", "お客様の声", "失敗事例", "パートナー成功事例", "製品アップデート"]:
        assert name in body


def test_an_author_adds_and_renames_a_topic_tag(cast, signed_in):
    client = signed_in(cast.author)
    client.post(reverse("catalog:studio_tags"), {"name_ja": "ヒアリング", "name_en": "Discovery"})
    tag = Tag.objects.get(kind="topic")
    assert (tag.slug, tag.name_ja, tag.name_en) == ("discovery", "ヒアリング", "Discovery")

    client.post(
        reverse("catalog:studio_tags"), {"tag": tag.pk, "name_ja": "ヒアリング力", "name_en": "Discovery skills"}
    )
    tag.refresh_from_db()
    assert (tag.slug, tag.name_ja, tag.name_en) == ("discovery", "ヒアリング力", "Discovery skills")


def test_it_refuses_a_topic_tag_name_that_is_taken(cast, signed_in):
    catalog.tag_create(kind="topic", slug="closing", name_ja="クロージング", name_en="Closing")
    response = signed_in(cast.author).post(
        reverse("catalog:studio_tags"), {"name_ja": "クロージング", "name_en": "Close"}
    )
    assert "この名前のトピックタグはすでにあります" in response.content.decode()
    assert Tag.objects.filter(kind="topic").count() == 1


def test_story_tags_cannot_be_renamed(cast, signed_in):
    story = Tag.objects.get(slug="failure_case")
    response = signed_in(cast.author).post(
        reverse("catalog:studio_tags"), {"tag": story.pk, "name_ja": "x", "name_en": "x"}
    )
    assert response.status_code == 404
    story.refresh_from_db()
    assert story.name_ja == "失敗事例"


def test_new_topic_tags_typed_on_a_course_reuse_existing_ones(cast):
    closing = catalog.tag_create(kind="topic", slug="closing", name_ja="クロージング", name_en="Closing")
    tags = catalog.topic_tags_ensure(names=["Closing", "ヒアリング", "ヒアリング", " "])
    assert tags[0] == closing
    assert [t.name_ja for t in tags] == ["クロージング", "ヒアリング"]
    assert tags[1].slug.startswith("topic-")


def test_a_new_topic_tag_gets_its_own_code_even_when_an_old_tag_had_that_code(cast, signed_in):
    catalog.tag_create(kind="topic", slug="closing", name_ja="締めの一言", name_en="Wrap-up")
    signed_in(cast.author).post(reverse("catalog:studio_tags"), {"name_ja": "クロージング", "name_en": "Closing"})
    tag = Tag.objects.get(name_en="Closing")
    assert tag.slug == "closing-2"
    assert Tag.objects.get(slug="closing").name_en == "Wrap-up"
