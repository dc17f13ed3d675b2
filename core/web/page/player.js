// HLS Forge player page: Video.js 8 with a quality menu built on VHS's representations() API.
// The rungs come from the master playlist, embedded by the writer (#hlsforge-rungs), so their
// names match the ladder's folders; each is matched to its VHS representation by URI.
// Rungs this browser cannot decode (HEVC in Chrome and Firefox, AV1 in older Safari) are left
// out of the menu, as VHS leaves them out of its own choice.
(function () {
  'use strict';
  function decodable(rung) {
    if (!rung.codecs || !window.MediaSource || typeof window.MediaSource.isTypeSupported !== 'function')
      return true;
    return window.MediaSource.isTypeSupported('video/mp4; codecs="' + rung.codecs + '"');
  }
  var rungs = JSON.parse(document.getElementById('hlsforge-rungs').textContent).filter(decodable);
  var currentLabel = document.getElementById('current-rung');

  if (typeof window.videojs !== 'function') {
    // The <video> element still plays where the browser has HLS of its own (Safari).
    currentLabel.textContent = 'player scripts could not be loaded';
    return;
  }

  // Read before Video.js takes the <video> element over.
  var thumbnailsTrack = document.getElementById('player').getAttribute('data-thumbnails');

  var AUTO = -1;
  var selectedRung = AUTO;
  var player = window.videojs('player', {
    html5: { vhs: { overrideNative: !window.videojs.browser.IS_ANY_SAFARI } },
  });

  function formatKbps(bitsPerSecond) {
    if (!bitsPerSecond) return '';
    var kbps = bitsPerSecond / 1000;
    return kbps >= 1000 ? (kbps / 1000).toFixed(1) + ' Mb/s' : Math.round(kbps) + ' kb/s';
  }

  function describe(rung) {
    var parts = [rung.name];
    if (rung.width && rung.height) parts.push(rung.width + '\u00d7' + rung.height);
    var rate = formatKbps(rung.averageBandwidth || rung.bandwidth);
    if (rate) parts.push(rate);
    return parts.join(' \u00b7 ');
  }

  // VHS only exists once a source is loaded and only where it (not the browser) plays HLS.
  function vhs() {
    var tech = player.tech({ IWillNotUseThisInPlugins: true });
    return tech && tech.vhs && typeof tech.vhs.representations === 'function' ? tech.vhs : null;
  }

  function sameUri(a, b) {
    // The master playlist's URI text, or its resolved form when VHS resolved it.
    return a === b || (a && b && (a.endsWith('/' + b) || b.endsWith('/' + a)));
  }

  function rungIndexForPlaylist(playlist) {
    if (!playlist) return AUTO;
    for (var i = 0; i < rungs.length; ++i) {
      if (sameUri(playlist.uri, rungs[i].uri) || sameUri(playlist.resolvedUri, rungs[i].uri))
        return i;
    }
    return AUTO;
  }

  function representationFor(index, reps) {
    for (var i = 0; i < reps.length; ++i) {
      if (rungIndexForPlaylist(reps[i].playlist) === index) return reps[i];
    }
    return null;
  }

  // VHS (3.17) sets its "fast switch pending" flag only after asking the playlist loader for the
  // chosen rung (100 ms after enabled(true): fastQualityChange_ is debounced). For a rung whose
  // playlist was loaded before, the loader switches synchronously, so its mediachange runs before
  // the flag is set: the buffer ahead is never dropped (the old rung plays on for up to 30 s) and
  // the flag stays stuck. Right after each mediachange, finish such a switch the way VHS's own
  // handler would have. A rung loaded for the first time takes VHS's normal path (flag already
  // set when its playlist arrives), and this does nothing.
  function finishFastSwitch() {
    var handler = vhs();
    var pc = handler && handler.playlistController_;
    if (pc && pc.waitingForFastQualityPlaylistReceived_ &&
        handler.playlists.state !== 'SWITCHING_MEDIA' && typeof pc.runFastQualitySwitch_ === 'function')
      pc.runFastQualitySwitch_();
  }

  // A representation's enabled(true) makes VHS switch to it at once (a "fast quality change":
  // the buffer ahead is dropped and refetched); enabled(false) only removes it from the choice.
  function applySelection(index) {
    var handler = vhs();
    if (!handler) return false;
    var reps = handler.representations();
    if (index === AUTO) {
      var media = handler.playlists.media();
      var current = reps.filter(function (r) { return r.playlist === media; })[0];
      var currentBandwidth = current ? current.bandwidth : 0;
      // Each re-enabled rung is switched to in turn; enabling the one closest to the current
      // rung last keeps the picture steady until the bandwidth estimate takes over again.
      reps.filter(function (r) { return !r.enabled() && rungIndexForPlaylist(r.playlist) !== AUTO; })
        .sort(function (a, b) {
          return Math.abs(b.bandwidth - currentBandwidth) - Math.abs(a.bandwidth - currentBandwidth);
        })
        .forEach(function (r) { r.enabled(true); });
      return true;
    }
    var target = representationFor(index, reps);
    if (!target) return false;
    reps.forEach(function (r) { if (r !== target) r.enabled(false); });
    if (target.enabled()) target.enabled(false); // re-enabling is what triggers the switch
    target.enabled(true);
    return true;
  }

  function updateCurrentRung() {
    var handler = vhs();
    var text;
    if (handler && handler.playlists && handler.playlists.media()) {
      var media = handler.playlists.media();
      var index = rungIndexForPlaylist(media);
      if (index !== AUTO) {
        text = describe(rungs[index]);
      } else {
        var res = media.attributes && media.attributes.RESOLUTION;
        text = (res ? res.width + '\u00d7' + res.height + ' \u00b7 ' : '') +
               formatKbps(media.attributes && media.attributes.BANDWIDTH);
      }
      currentLabel.dataset.rung = index === AUTO ? '' : rungs[index].name;
    } else if (player.videoHeight()) {
      text = player.videoWidth() + '\u00d7' + player.videoHeight() + ' (chosen by the browser)';
      currentLabel.dataset.rung = '';
    } else {
      return;
    }
    if (selectedRung === AUTO) text += ' (auto)';
    currentLabel.textContent = text;
    if (qualityButton) qualityButton.updateValue();
  }

  var MenuButton = window.videojs.getComponent('MenuButton');
  var MenuItem = window.videojs.getComponent('MenuItem');

  class QualityMenuItem extends MenuItem {
    constructor(p, options) {
      super(p, { label: options.label, selectable: true, selected: options.selected });
      this.rungIndex = options.rungIndex;
      this.el().dataset.rung = options.rungIndex === AUTO ? 'auto' : rungs[options.rungIndex].name;
    }
    handleClick() {
      if (!applySelection(this.rungIndex)) return;
      selectedRung = this.rungIndex;
      qualityButton.items.forEach(function (item) {
        item.selected(item.rungIndex === selectedRung);
      });
      updateCurrentRung();
    }
  }

  class QualityMenuButton extends MenuButton {
    constructor(p, options) {
      super(p, options);
      this.controlText('Quality');
      this.valueEl_ = window.videojs.dom.createEl('span', { className: 'vjs-quality-value' });
      this.menuButton_.el().appendChild(this.valueEl_);
      this.updateValue();
    }
    // The wrapper holds both the button and its menu; the tests and the CSS find both in it.
    buildWrapperCSSClass() { return 'vjs-quality-menu ' + super.buildWrapperCSSClass(); }
    createItems() {
      var items = [new QualityMenuItem(this.player_, {
        label: 'Auto', rungIndex: AUTO, selected: selectedRung === AUTO })];
      rungs.forEach(function (rung, i) {
        items.push(new QualityMenuItem(this.player_, {
          label: describe(rung), rungIndex: i, selected: selectedRung === i }));
      }, this);
      return items;
    }
    updateValue() {
      if (!this.valueEl_) return;
      var playing = currentLabel.dataset.rung;
      this.valueEl_.textContent = selectedRung === AUTO
        ? (playing ? 'Auto \u00b7 ' + playing : 'Auto') : rungs[selectedRung].name;
    }
  }

  window.videojs.registerComponent('HlsForgeQualityMenuButton', QualityMenuButton);
  var controlBar = player.getChild('ControlBar');
  var fullscreen = controlBar.getChild('FullscreenToggle');
  var qualityButton = controlBar.addChild('HlsForgeQualityMenuButton', {},
    fullscreen ? controlBar.children().indexOf(fullscreen) : undefined);

  // Seek-bar hover thumbnails from the ladder's WebVTT thumbnails track: one cue per tile,
  // "sheet-1.jpg#xywh=x,y,w,h", its URL relative to the track's.
  function vttSeconds(text) {
    var parts = text.split(':').map(parseFloat);
    var seconds = 0;
    parts.forEach(function (p) { seconds = seconds * 60 + p; });
    return seconds;
  }

  function parseThumbnails(text, base) {
    var cues = [];
    var lines = text.split(/\r?\n/);
    for (var i = 0; i + 1 < lines.length; ++i) {
      var times = /^\s*([\d:.]+)\s+-->\s+([\d:.]+)/.exec(lines[i]);
      var tile = times && /^\s*(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)\s*$/.exec(lines[i + 1]);
      if (!tile) continue;
      cues.push({ start: vttSeconds(times[1]), end: vttSeconds(times[2]),
                  url: new URL(tile[1], base).href,
                  x: +tile[2], y: +tile[3], w: +tile[4], h: +tile[5] });
    }
    return cues;
  }

  function cueAt(cues, seconds) {
    for (var i = 0; i < cues.length; ++i) {
      if (seconds < cues[i].end) return cues[i];
    }
    return cues[cues.length - 1];
  }

  function showThumbnails(cues) {
    var progress = controlBar.getChild('ProgressControl');
    var seekBar = progress && progress.getChild('SeekBar');
    if (!cues.length || !seekBar) return;
    var area = progress.el();
    var box = document.createElement('div');
    box.className = 'hlsforge-thumbnail';
    box.hidden = true;
    area.appendChild(box);
    // Fetch each sheet once up front, so the first hover over it is not blank.
    cues.map(function (c) { return c.url; })
      .filter(function (url, i, all) { return all.indexOf(url) === i; })
      .forEach(function (url) { new Image().src = url; });
    area.addEventListener('mousemove', function (event) {
      var duration = player.duration();
      var bar = seekBar.el().getBoundingClientRect();
      if (!duration || !isFinite(duration) || !bar.width) return;
      var fraction = Math.min(1, Math.max(0, (event.clientX - bar.left) / bar.width));
      var cue = cueAt(cues, fraction * duration);
      box.style.width = cue.w + 'px';
      box.style.height = cue.h + 'px';
      box.style.backgroundImage = 'url("' + cue.url + '")';
      box.style.backgroundPosition = -cue.x + 'px ' + -cue.y + 'px';
      // Centred on the pointer, kept inside the player.
      var areaBox = area.getBoundingClientRect();
      var left = event.clientX - areaBox.left - cue.w / 2;
      box.style.left = Math.max(0, Math.min(areaBox.width - cue.w, left)) + 'px';
      box.dataset.seconds = (fraction * duration).toFixed(3);
      box.dataset.cueStart = cue.start.toFixed(3);
      box.hidden = false;
    });
    area.addEventListener('mouseleave', function () { box.hidden = true; });
  }

  if (thumbnailsTrack && window.fetch) {
    var trackUrl = new URL(thumbnailsTrack, document.baseURI);
    window.fetch(trackUrl).then(function (response) {
      return response.ok ? response.text() : '';
    }).then(function (text) {
      showThumbnails(parseThumbnails(text, trackUrl));
    }).catch(function () { /* no thumbnails: the seek bar works as before */ });
  }

  // VHS's playlist loader announces every rung change on the tech; the event bubbles here.
  player.on('mediachange', updateCurrentRung);
  player.on('mediachange', function () { window.setTimeout(finishFastSwitch, 0); });
  player.on('loadedmetadata', updateCurrentRung);
  player.on('resize', updateCurrentRung);
})();
