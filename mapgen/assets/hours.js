/* Opening hours: is a station open now, in China time (UTC+8) whatever the phone's own time zone.
   Schedules come parsed from Python: [[day mask (Monday = bit 0), start minute, end minute], ...] or null. */

var CHINA_OFFSET_MS = 8 * 3600 * 1000;
var DAY_MINUTES = 24 * 60;

/** Weekday (Monday 0) and minute of the day in China at a moment given in epoch milliseconds. */
function chinaClock(ms) {
  var d = new Date(ms + CHINA_OFFSET_MS);
  return { day: (d.getUTCDay() + 6) % 7, minute: d.getUTCHours() * 60 + d.getUTCMinutes() };
}

/** Whether a schedule is open around the clock every day. */
function isAlwaysOpen(schedule) {
  var days = 0;
  for (var i = 0; i < schedule.length; i++) {
    var r = schedule[i];
    if (r[1] === 0 && r[2] === DAY_MINUTES) days |= r[0];
  }
  return days === 127;
}

/** Whether one rule covers a clock time; a rule ending before it starts runs past midnight. */
function ruleCovers(rule, clock) {
  var mask = rule[0];
  var start = rule[1];
  var end = rule[2];
  var today = (mask >> clock.day) & 1;
  if (start < end) return today === 1 && clock.minute >= start && clock.minute < end;
  var yesterday = (mask >> ((clock.day + 6) % 7)) & 1;
  return (today === 1 && clock.minute >= start) || (yesterday === 1 && clock.minute < end);
}

/** 'always', 'open', 'closed', or null when the hours' format was not understood. */
function openState(schedule, ms) {
  if (!schedule || !schedule.length) return null;
  if (isAlwaysOpen(schedule)) return 'always';
  var clock = chinaClock(ms);
  for (var i = 0; i < schedule.length; i++) {
    if (ruleCovers(schedule[i], clock)) return 'open';
  }
  return 'closed';
}
