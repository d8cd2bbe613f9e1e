/* How to get to a station at a straight-line distance: walk when it is near, ride when it is farther, and when no
   station is near at all. Walking minutes beyond a short walk mislead (a 25 km "383-minute walk").
   Needs: nothing. Provides: mode(metres) -> 'walk' | 'ride', WALK_LIMIT_M, NEAR_LIMIT_M. */
L.mapgen.define('travel', [], function () {
  'use strict';

  // About 30 minutes on foot at 4 km/h; beyond it workers ride (e-bikes are their usual transport).
  var WALK_LIMIT_M = 2000;
  // Beyond this the page says that no station is near, while still listing the nearest ones.
  var NEAR_LIMIT_M = 30000;

  /** 'walk' within WALK_LIMIT_M (and when the distance is unknown), else 'ride'. */
  function mode(metres) {
    return metres !== undefined && metres !== null && metres > WALK_LIMIT_M ? 'ride' : 'walk';
  }

  return { mode: mode, WALK_LIMIT_M: WALK_LIMIT_M, NEAR_LIMIT_M: NEAR_LIMIT_M };
});
