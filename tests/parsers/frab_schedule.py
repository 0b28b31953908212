"""Reads a frab schedule.xml and a schedule.json as a conference app does (Python's own
xml.etree and json, no third-party package): conference, then day by day, room by room,
event by event. Prints both readings as JSON in one shape (the c3voc schedule.json
layout), so the test suite checks the schema's rules on each and compares them. Exits
non-zero on anything it cannot read: malformed XML or JSON, a missing element the apps
need, an attribute that is not there."""

import json
import sys
import xml.etree.ElementTree as ET

EVENT_TEXT = [
    "date", "start", "duration", "room", "slug", "url", "title", "subtitle", "track", "type",
    "language", "abstract", "description",
]


def fail(message):
    sys.stderr.write(f"frab_schedule: {message}\n")
    sys.exit(1)


def text(node, name, where):
    child = node.find(name)
    if child is None:
        fail(f"{where} has no <{name}>")
    return child.text or ""


def attribute(node, name, where):
    value = node.get(name)
    if value is None:
        fail(f"{where} has no {name}=")
    return value


def integer(value, where):
    try:
        return int(value)
    except ValueError:
        fail(f"{where} is not a number: {value!r}")


def read_xml(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(f"the XML does not parse: {e}")
    if root.tag != "schedule":
        fail(f"the root is <{root.tag}>, not <schedule>")
    conference = root.find("conference")
    if conference is None:
        fail("no <conference>")
    days = []
    rooms = {}
    for day in root.findall("day"):
        where = f"day {day.get('index')}"
        by_room = {}
        for room in day.findall("room"):
            name = attribute(room, "name", where)
            rooms[name] = attribute(room, "guid", f"{where}, room {name}")
            events = []
            for event in room.findall("event"):
                here = f"{where}, room {name}, event {event.get('id')}"
                read = {
                    "guid": attribute(event, "guid", here),
                    "id": integer(attribute(event, "id", here), f"{here} id"),
                }
                for field in EVENT_TEXT:
                    read[field] = text(event, field, here)
                recording = event.find("recording")
                if recording is None:
                    fail(f"{here} has no <recording>")
                read["recording_license"] = text(recording, "license", here)
                read["do_not_record"] = text(recording, "optout", here) == "true"
                persons = event.find("persons")
                if persons is None:
                    fail(f"{here} has no <persons>")
                read["persons"] = [
                    {"guid": p.get("guid"), "public_name": p.text or ""} for p in persons.findall("person")
                ]
                for collection in ["links", "attachments"]:
                    if event.find(collection) is None:
                        fail(f"{here} has no <{collection}>")
                    read[collection] = []
                events.append(read)
            by_room[name] = events
        days.append({
            "index": integer(attribute(day, "index", where), f"{where} index"),
            "date": attribute(day, "date", where),
            "day_start": attribute(day, "start", where),
            "day_end": attribute(day, "end", where),
            "rooms": by_room,
        })
    return {
        "schedule": {
            "version": text(root, "version", "the schedule"),
            "conference": {
                "acronym": text(conference, "acronym", "conference"),
                "title": text(conference, "title", "conference"),
                "start": text(conference, "start", "conference"),
                "end": text(conference, "end", "conference"),
                "daysCount": integer(text(conference, "days", "conference"), "conference days"),
                "timeslot_duration": text(conference, "timeslot_duration", "conference"),
                "time_zone_name": text(conference, "time_zone_name", "conference"),
                "rooms": [{"name": n, "guid": g} for n, g in sorted(rooms.items())],
                "days": days,
            },
        }
    }


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        fail(f"the JSON does not parse: {e}")


def main():
    if len(sys.argv) != 3:
        fail("usage: frab_schedule.py schedule.xml schedule.json")
    print(json.dumps({"xml": read_xml(sys.argv[1]), "json": read_json(sys.argv[2])}, ensure_ascii=False))


if __name__ == "__main__":
    main()
