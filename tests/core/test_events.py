from core import events


def test_publishing_an_event_calls_each_subscriber_with_its_payload():
    heard = []

    def first(**payload):
        heard.append(("first", payload))

    def second(**payload):
        heard.append(("second", payload))

    events.subscribe("tests.thing_recorded", first)
    events.subscribe("tests.thing_recorded", second)
    events.publish("tests.thing_recorded", thing_id=7)
    assert heard == [("first", {"thing_id": 7}), ("second", {"thing_id": 7})]


def test_subscribing_twice_calls_the_subscriber_once():
    heard = []

    def subscriber(**payload):
        heard.append(payload)

    events.subscribe("tests.once", subscriber)
    events.subscribe("tests.once", subscriber)
    events.publish("tests.once")
    assert heard == [{}]


def test_an_event_nobody_subscribes_to_is_harmless():
    events.publish("tests.nobody_listens", value=1)
    assert "tests.nobody_listens" not in events._subscribers
