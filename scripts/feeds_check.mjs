// Reads calendar feeds with ical.js (npm, the parser inside Thunderbird; pinned by
// scripts/contract): every VEVENT of each file must come back with its UID, SUMMARY and a start
// in UTC before its end, and the file must hold as many events as it has `BEGIN:VEVENT` lines.
//
//     node feeds_check.mjs FEED.ics…
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(process.env.ICALJS_DIR + "/");
const ICAL = require("ical.js");

let total = 0;
for (const path of process.argv.slice(2)) {
  const raw = readFileSync(path, "utf8");
  const expected = raw.split("\r\nBEGIN:VEVENT\r\n").length - 1;
  const calendar = new ICAL.Component(ICAL.parse(raw));
  const events = calendar.getAllSubcomponents("vevent").map((c) => new ICAL.Event(c));
  if (events.length !== expected) throw new Error(`${path}: ${events.length} events read, ${expected} written`);
  for (const event of events) {
    if (!event.uid || !event.summary) throw new Error(`${path}: an event without UID or SUMMARY`);
    if (!event.startDate.isDate && event.startDate.zone.tzid !== "UTC") throw new Error(`${path}: ${event.uid} not in UTC`);
    if (event.endDate.compare(event.startDate) <= 0) throw new Error(`${path}: ${event.uid} ends before it starts`);
  }
  total += events.length;
  console.log(`ical.js: ${path.split("/").pop()}: ${events.length} events read back`);
}
if (total === 0) throw new Error("the demo feeds hold no event");
