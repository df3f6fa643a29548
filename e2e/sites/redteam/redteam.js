// A hostile page: every function tries one trick on Secure Edge and returns what the page could
// read (candidate lines, SDP, configurations, stats, errors) as plain data for the spec to judge.
// Nothing here is a "test": it is what an attacker's site would run.
(() => {
  const errorOf = (e) => ({ name: e?.name ?? 'Error', message: String(e?.message ?? e) });

  /** Runs `fn`; its value, or the error it threw / rejected with. */
  async function attempt(fn) {
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      return { ok: false, error: errorOf(e) };
    }
  }

  const gatheringDone = (pc, ms = 8000) =>
    new Promise((resolve) => {
      const done = () => pc.iceGatheringState === 'complete' && resolve(true);
      pc.addEventListener('icegatheringstatechange', done);
      setTimeout(() => resolve(false), ms);
      done();
    });

  /**
   * Makes a connection with `Ctor` (any realm's), `config`, gathers, and returns everything the page
   * can read about it: candidate lines from events, the local SDP, getConfiguration(), stats.
   * `methods` is the prototype whose methods are called (another realm's, for the cross-realm tricks).
   */
  async function gather(Ctor, config, methods = Ctor.prototype) {
    const seen = { lines: [], errors: [] };
    const pc = new Ctor(config);
    pc.addEventListener('icecandidate', (e) => e.candidate?.candidate && seen.lines.push(e.candidate.candidate));
    const call = async (name, ...args) => {
      try {
        return await methods[name].apply(pc, args);
      } catch (e) {
        seen.errors.push(`${name}: ${e.name}`);
        return undefined;
      }
    };
    await call('createDataChannel', 'x');
    await call('addTransceiver', 'audio');
    const offer = await call('createOffer');
    await call('setLocalDescription', offer);
    // Nothing gathers without an offer set (a refused one): no wait then.
    seen.gathered = offer ? await gatheringDone(pc) : false;
    const read = (what, fn) => {
      try {
        return fn();
      } catch (e) {
        seen.errors.push(`${what}: ${e.name}`);
        return null;
      }
    };
    const getter = (name) => Object.getOwnPropertyDescriptor(methods, name).get;
    seen.sdp = read('localDescription', () => getter('localDescription').call(pc)?.sdp ?? null);
    seen.config = read('getConfiguration', () => JSON.stringify(methods.getConfiguration.call(pc)));
    const stats = [];
    try {
      (await pc.getStats()).forEach((s) => stats.push(s));
    } catch (e) {
      seen.errors.push(`getStats: ${e.name}`);
    }
    seen.stats = JSON.stringify(stats);
    // The ICE transport behind the SCTP transport hands out candidates too.
    const ice = read('sctp', () => pc.sctp?.transport?.iceTransport ?? null);
    seen.transportCandidates = [];
    const found = ice ? ice.getLocalCandidates() : [];
    for (let i = 0; i < found.length; i++) seen.transportCandidates[i] = found[i].candidate;
    const pair = ice?.getSelectedCandidatePair();
    seen.selectedPair = pair ? [pair.local?.candidate, pair.remote?.candidate] : null;
    pc.close();
    return seen;
  }

  const newFrame = (setup = () => {}) => {
    const frame = document.createElement('iframe');
    setup(frame);
    document.body.append(frame);
    return frame;
  };

  window.redteam = {
    /** The page's own connection, its methods called from a same-origin iframe's prototype. */
    async crossRealm(foreignTurn) {
      const frame = newFrame();
      const P = frame.contentWindow.RTCPeerConnection.prototype;
      const pc = new RTCPeerConnection();
      const tries = {
        setConfiguration: () => P.setConfiguration.call(pc, { iceTransportPolicy: 'all', iceServers: [foreignTurn] }),
        createDataChannel: () => P.createDataChannel.call(pc, 'exfil').label,
        getConfiguration: () => JSON.stringify(P.getConfiguration.call(pc)),
        localDescription: () => Object.getOwnPropertyDescriptor(P, 'localDescription').get.call(pc),
        signalingState: () => Object.getOwnPropertyDescriptor(P, 'signalingState').get.call(pc),
        setLocalDescription: () => P.setLocalDescription.call(pc),
        createOffer: () => P.createOffer.call(pc),
        addIceCandidate: () => P.addIceCandidate.call(pc, null),
        getStats: () => P.getStats.call(pc).then(() => 'stats'),
        addTransceiver: () => P.addTransceiver.call(pc, 'audio').mid,
        // The other way round: the frame's connection, the top's prototype.
        reverse: () =>
          RTCPeerConnection.prototype.setConfiguration.call(new frame.contentWindow.RTCPeerConnection(), {
            iceServers: [foreignTurn],
          }),
      };
      const out = {};
      for (const [name, fn] of Object.entries(tries)) out[name] = await attempt(fn);
      // Then a whole gathering on the page's connection through the frame's methods.
      out.gathered = await gather(RTCPeerConnection, { iceServers: [foreignTurn], iceTransportPolicy: 'all' }, P);
      pc.close();
      return out;
    },

    /** Connections in frames and windows of every kind the page can make and reach. */
    async frames(foreignTurn) {
      const config = { iceServers: [foreignTurn], iceTransportPolicy: 'all' };
      const out = {};
      out.top = await gather(RTCPeerConnection, config);
      out.iframe = await gather(newFrame().contentWindow.RTCPeerConnection, config);
      // An iframe about to navigate (srcdoc, src): its initial empty document, reached at once.
      out.srcdoc = await gather(newFrame((f) => (f.srcdoc = '<p>x</p>')).contentWindow.RTCPeerConnection, config);
      out.slowSrc = await gather(newFrame((f) => (f.src = '/blank.html')).contentWindow.RTCPeerConnection, config);
      const documentWritten = newFrame();
      documentWritten.contentDocument.open();
      documentWritten.contentDocument.write('<p>written</p>');
      documentWritten.contentDocument.close();
      out.documentWrite = await gather(documentWritten.contentWindow.RTCPeerConnection, config);
      const blob = newFrame((f) => (f.src = URL.createObjectURL(new Blob(['<p>blob</p>'], { type: 'text/html' }))));
      await new Promise((resolve) => blob.addEventListener('load', resolve, { once: true }));
      out.blob = await gather(blob.contentWindow.RTCPeerConnection, config);
      const opened = window.open('/blank.html');
      out.openedAtOnce = await gather(opened.RTCPeerConnection, config);
      if (opened.document.readyState !== 'complete') {
        await new Promise((resolve) => opened.addEventListener('load', resolve, { once: true }));
      }
      out.openedLoaded = await gather(opened.RTCPeerConnection, config);
      opened.close();
      // A frame inside a shadow root, reached after the parser's next microtask checkpoint.
      const host = document.createElement('div');
      document.body.append(host);
      const shadowFrame = document.createElement('iframe');
      shadowFrame.src = '/blank.html';
      host.attachShadow({ mode: 'closed' }).append(shadowFrame);
      await Promise.resolve();
      out.shadowFrame = await gather(window[window.length - 1].RTCPeerConnection, config);
      // An iframe with a srcdoc reached through window[i] in the same statement run as its insertion.
      document.body.append(Object.assign(document.createElement('iframe'), { srcdoc: '<p>now</p>' }));
      out.windowIndexAtOnce = await gather(window[window.length - 1].RTCPeerConnection, config);
      // The same through innerHTML and insertAdjacentHTML.
      const holder = document.createElement('div');
      document.body.append(holder);
      holder.innerHTML = '<iframe src="/blank.html"></iframe>';
      out.innerHtmlAtOnce = await gather(window[window.length - 1].RTCPeerConnection, config);
      holder.insertAdjacentHTML('beforeend', '<iframe name="named" srcdoc="<p>n</p>"></iframe>');
      out.namedAtOnce = await gather(window.named.RTCPeerConnection, config);
      // An <embed> of an HTML page: no contentWindow; its realm is in window[i] only.
      const embed = document.createElement('embed');
      embed.src = '/blank.html';
      embed.type = 'text/html';
      document.body.append(embed);
      await Promise.resolve();
      out.embed = await gather(window[window.length - 1].RTCPeerConnection, config);
      return out;
    },

    /**
     * Cross-origin frames (data:, sandboxed srcdoc without allow-same-origin) run their own script
     * and post back what they gathered: the page cannot reach their realm, the browser injects the
     * wrapper there itself.
     */
    async opaqueFrames(foreignTurn) {
      const script = `(${gatherInFrame.toString()})(${JSON.stringify({ iceServers: [foreignTurn], iceTransportPolicy: 'all' })})`;
      const html = `<!doctype html><script>${script}<\/script>`;
      const run = (setup) =>
        new Promise((resolve) => {
          const onMessage = (e) => {
            if (e.data?.redteam) {
              window.removeEventListener('message', onMessage);
              resolve(e.data.redteam);
            }
          };
          window.addEventListener('message', onMessage);
          newFrame(setup);
          setTimeout(() => resolve({ timeout: true }), 15000);
        });
      return {
        data: await run((f) => (f.src = `data:text/html,${encodeURIComponent(html)}`)),
        sandboxed: await run((f) => {
          f.sandbox = 'allow-scripts';
          f.srcdoc = html;
        }),
      };
    },

    /** Built-ins the wrapper might use, replaced by the page before it makes its connection. */
    async poisonedBuiltins(foreignTurn) {
      const saved = [];
      const replace = (target, key, value) => {
        saved.push([target, key, Object.getOwnPropertyDescriptor(target, key)]);
        Object.defineProperty(target, key, { value, writable: true, configurable: true });
      };
      const arrayIterator = Object.getPrototypeOf([][Symbol.iterator]());
      const exec = RegExp.prototype.exec;
      replace(RegExp.prototype, 'exec', function (s) {
        // Lets no candidate line parse (they would pass unfiltered if the wrapper used this).
        return String(s).includes('candidate') ? null : exec.call(this, s);
      });
      replace(String.prototype, 'startsWith', () => false);
      replace(String.prototype, 'split', () => []);
      replace(Array.prototype, 'filter', function () {
        return this;
      });
      replace(Array.prototype, 'find', () => undefined);
      replace(Array.prototype, 'includes', () => true);
      replace(Array.prototype, 'map', function () {
        return this;
      });
      replace(WeakMap.prototype, 'get', () => undefined);
      replace(WeakMap.prototype, 'has', () => false);
      replace(Map.prototype, 'get', () => undefined);
      replace(Set.prototype, 'has', () => true);
      replace(Object.prototype, 'candidateFilter', 'mode-1');
      replace(Object.prototype, 'turn', { username: 'page', credential: 'page', uris: [foreignTurn.urls] });
      const stolen = [];
      replace(Object.prototype, 'then', undefined);
      delete Object.prototype.then;
      Object.defineProperty(Object.prototype, 'then', {
        get() {
          if (this && typeof this === 'object' && !(this instanceof Promise)) stolen.push(safeJson(this));
          return undefined;
        },
        configurable: true,
      });
      saved.push([Object.prototype, 'then', undefined]);
      let constructorLocked = null;
      try {
        Object.defineProperty(Promise.prototype, 'constructor', { value: Object, configurable: true });
        constructorLocked = false;
      } catch (e) {
        constructorLocked = e.name;
      }
      const next = arrayIterator.next;
      let iteratorCalls = 0;
      replace(arrayIterator, 'next', function () {
        iteratorCalls++;
        return next.call(this);
      });
      let gathered;
      try {
        gathered = await gather(RTCPeerConnection, { iceServers: [foreignTurn], iceTransportPolicy: 'all' });
      } finally {
        for (const [target, key, descriptor] of saved.reverse()) {
          if (descriptor) Object.defineProperty(target, key, descriptor);
          else delete target[key];
        }
      }
      return { gathered, stolen, constructorLocked, iteratorCalls };
    },

    /** What a page can learn by looking at the wrapper: it should look like the browser's own. */
    inspect() {
      const P = RTCPeerConnection.prototype;
      const frame = newFrame();
      const fresh = frame.contentWindow;
      const texts = [
        Function.prototype.toString.call(RTCPeerConnection),
        String(P.setLocalDescription),
        String(P.addTrack),
        String(Function.prototype.toString),
        String(Object.getOwnPropertyDescriptor(P, 'localDescription').get),
        String(Object.getOwnPropertyDescriptor(RTCPeerConnectionIceEvent.prototype, 'candidate').get),
        fresh.Function.prototype.toString.call(P.createOffer),
        Function.prototype.toString.call(fresh.RTCPeerConnection.prototype.createOffer),
        String(navigator.mediaDevices.getUserMedia),
      ];
      return {
        texts,
        names: [P.setLocalDescription.name, P.createOffer.length, RTCPeerConnection.name, RTCPeerConnection.length],
        sameProto: Object.getPrototypeOf(new RTCPeerConnection()) === P,
        constructorOfProto: P.constructor === RTCPeerConnection,
        freshIsWrapped: String(fresh.RTCPeerConnection) === String(RTCPeerConnection),
        subclass: (() => {
          class Mine extends fresh.RTCPeerConnection {}
          const pc = new Mine();
          const ok = pc instanceof fresh.RTCPeerConnection && pc.getConfiguration().iceTransportPolicy;
          pc.close();
          return ok;
        })(),
        globals: Object.getOwnPropertyNames(window).filter((n) => /vclick|edge/i.test(n)),
      };
    },

    /** Capture on a blockCamera origin: constraints that change between reads, null video. */
    async capture() {
      let reads = 0;
      const shifty = {
        get video() {
          return reads++ > 0;
        },
      };
      const stop = (stream) => {
        const kinds = stream.getTracks().map((t) => t.kind);
        stream.getTracks().forEach((t) => t.stop());
        return kinds;
      };
      const frame = newFrame();
      return {
        shifty: await attempt(() => navigator.mediaDevices.getUserMedia(shifty).then(stop)),
        shiftyReads: reads,
        nullVideo: await attempt(() => navigator.mediaDevices.getUserMedia({ video: null }).then(stop)),
        fromFrame: await attempt(() =>
          frame.contentWindow.MediaDevices.prototype.getUserMedia.call(navigator.mediaDevices, { video: true }).then(stop),
        ),
        legacy: await attempt(
          () => new Promise((resolve, reject) => navigator.webkitGetUserMedia({ video: true }, (s) => resolve(stop(s)), reject)),
        ),
        audioOnly: await attempt(() => navigator.mediaDevices.getUserMedia({ audio: true }).then(stop)),
      };
    },

    /** Data channels on a blocking origin: directly, through another realm, and incoming. */
    async dataChannels() {
      const frame = newFrame();
      const P = frame.contentWindow.RTCPeerConnection.prototype;
      const pc = new RTCPeerConnection();
      const out = {
        own: await attempt(() => pc.createDataChannel('x').label),
        throughFrame: await attempt(() => P.createDataChannel.call(pc, 'x').label),
        // Made before that frame's decision arrived (its own wrapper asks lazily): closed once it lands.
        framesOwn: await attempt(
          () =>
            new Promise((resolve) => {
              const channel = new frame.contentWindow.RTCPeerConnection().createDataChannel('x');
              let opened = false;
              channel.addEventListener('open', () => (opened = true));
              channel.addEventListener('close', () => resolve({ closed: true, opened }));
              setTimeout(() => resolve({ closed: false, opened }), 15000);
            }),
        ),
      };
      pc.close();
      return out;
    },

    /**
     * Under `record`: the page tries to set the far end's description on its connection through
     * another realm's methods (a direct, unrecorded connection). `pc.sctp` is the browser's own
     * proof that a description with a data section was applied.
     */
    async recordBypass(answerSdp) {
      const frame = newFrame();
      const P = frame.contentWindow.RTCPeerConnection.prototype;
      const pc = new RTCPeerConnection();
      pc.createDataChannel('x');
      const out = {
        offer: await attempt(() => P.createOffer.call(pc).then((o) => o.type)),
        setLocal: await attempt(() => P.setLocalDescription.call(pc)),
        setRemote: await attempt(() => P.setRemoteDescription.call(pc, { type: 'answer', sdp: answerSdp })),
        addCandidate: await attempt(() =>
          P.addIceCandidate.call(pc, { candidate: 'candidate:1 1 udp 1 192.0.2.9 9 typ host', sdpMid: '0' }),
        ),
      };
      out.sctp = pc.sctp !== null;
      out.connectionState = pc.connectionState;
      pc.close();
      return out;
    },
  };

  function safeJson(value) {
    try {
      return JSON.stringify(value).slice(0, 2000);
    } catch {
      return '?';
    }
  }

  /** Runs inside an opaque-origin frame: gathers and posts what it saw to the parent. */
  async function gatherInFrame(config) {
    const seen = { lines: [], errors: [] };
    try {
      const pc = new RTCPeerConnection(config);
      pc.onicecandidate = (e) => e.candidate?.candidate && seen.lines.push(e.candidate.candidate);
      pc.createDataChannel('x');
      await pc.setLocalDescription(await pc.createOffer());
      await new Promise((resolve) => {
        const done = () => pc.iceGatheringState === 'complete' && resolve();
        pc.addEventListener('icegatheringstatechange', done);
        setTimeout(resolve, 8000);
        done();
      });
      seen.sdp = pc.localDescription?.sdp ?? null;
      seen.config = JSON.stringify(pc.getConfiguration());
      pc.close();
    } catch (e) {
      seen.errors.push(`${e.name}`);
    }
    parent.postMessage({ redteam: seen }, '*');
  }
})();
