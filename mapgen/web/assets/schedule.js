/* Opening schedules, evaluated in China time (UTC+8) whatever the phone's own time zone. Schedules are parsed
   from the hours text by mapgen/inputs/hours.py at build time: [[day mask (Monday = bit 0), start minute, end minute],
   ...], a rule ending before it starts running past midnight; null when the text was not understood.
   Needs: nothing. Provides: openState(schedule, ms), nextOpening(schedule, ms). */
L.mapgen.define('schedule', [], function () {
  'use strict';

  var CHINA_OFFSET_MS = 8 * 3600 * 1000;
  var DAY_MINUTES = 24 * 60;
  var EVERY_DAY = 127;

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
    return days === EVERY_DAY;
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

  /** When a closed place next opens: {day (Monday 0), minute, days (0 today, 1 tomorrow, ...)}, or null. */
  function nextOpening(schedule, ms) {
    if (!schedule || !schedule.length) return null;
    var clock = chinaClock(ms);
    var best = null;
    for (var i = 0; i < schedule.length; i++) {
      for (var days = 0; days <= 7; days++) {
        var day = (clock.day + days) % 7;
        var rule = schedule[i];
        if (!((rule[0] >> day) & 1) || (days === 0 && rule[1] <= clock.minute)) continue;
        var wait = days * DAY_MINUTES + rule[1] - clock.minute;
        if (!best || wait < best.wait) best = { day: day, minute: rule[1], days: days, wait: wait };
        break;
      }
    }
    return best && { day: best.day, minute: best.minute, days: best.days };
  }

  return { openState: openState, nextOpening: nextOpening };
});
