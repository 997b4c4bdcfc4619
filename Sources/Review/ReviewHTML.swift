import Foundation
import Media
import Scenes

/// The review page's HTML: cards, header, and the small script for lazy previews, keyboard
/// navigation and copying tune lines. Self-contained: styles and script inline, no network.
enum ReviewHTML {
    static func page(_ review: ReviewPage, folder: String, media: [ReviewMedia.Files], mediaSeconds: Double,
                     generator: String) -> String {
        let cards = review.cards
        let total = cards.reduce(0) { $0 + $1.scene.duration }
        var counts: [String: Int] = [:]
        for c in cards { counts[c.motion, default: 0] += 1 }
        let motions = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let cached = cards.filter { $0.cached == true }.count, generated = cards.filter { $0.cached == false }.count
        let bytes = media.reduce(0) { $0 + $1.bytes }
        var totals: [(String, String)] = [
            ("scenes", "\(cards.count)"),
            ("length", clock(total)),
            ("motion", motions),
        ]
        if cached + generated > 0 { totals.append(("clips", "\(generated) generated, \(cached) from the cache")) }
        totals.append(("previews", String(format: "%.1f MB, made in %.1f s", Double(bytes) / 1e6, mediaSeconds)))
        let stamp = ISO8601DateFormatter().string(from: Date())
        totals.append(("written", stamp))

        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="generator" content="\(generator)">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(esc(review.title)) · review</title>
            <style>\(style)</style>
            </head>
            <body data-cards="\(cards.count)">
            <header class="top">
            <h1>\(esc(review.title))</h1>
            <dl class="info">
            """
        for (k, v) in review.info.map({ ($0.name, $0.value) }) + totals {
            out += "<div><dt>\(esc(k))</dt><dd>\(esc(v))</dd></div>"
        }
        out += """
            </dl>
            <p class="keys"><kbd>j</kbd>/<kbd>k</kbd> or arrows: next/previous scene · <kbd>c</kbd>: copy its tune line ·
            <kbd>Enter</kbd>: enlarge · <kbd>g</kbd>/<kbd>G</kbd>: first/last · a number then <kbd>Enter</kbd>: go to that scene ·
            <span class="legend"><i class="lp"></i>picture <i class="lo"></i>overlays <i class="ls"></i>statics</span></p>
            </header>
            <main id="cards">

            """
        for (card, files) in zip(cards, media) {
            out += self.card(card, files, folder: folder)
        }
        out += """
            </main>
            <div id="toast" role="status"></div>
            <script>\(script)</script>
            </body>
            </html>

            """
        return out
    }

    static func card(_ card: ReviewCard, _ f: ReviewMedia.Files, folder: String) -> String {
        let s = card.scene
        let n = s.index
        let dir = urlPath(folder)
        let badge: String
        switch card.cached {
        case .some(true): badge = "<span class=\"badge cached\">cached</span>"
        case .some(false): badge = "<span class=\"badge generated\">generated</span>"
        case .none: badge = ""
        }
        var params = "<div><dt>motion source</dt><dd>\(esc(card.motion))</dd></div>"
        for p in card.parameters { params += "<div><dt>\(esc(p.name))</dt><dd>\(esc(p.value))</dd></div>" }
        let clip = card.clip
        params += "<div><dt>clip</dt><dd>\(clip.width)×\(clip.height) · \(clip.frameCount) frames at \(clip.fps) fps</dd></div>"
        return """
            <article class="card" id="scene-\(n)" data-index="\(n)" tabindex="0">
            <h2><span class="num">\(n)</span> <span class="time">\(clock(s.start)) → \(clock(s.stop))</span> <span class="dur">\(String(format: "%.2f s", s.duration))</span> \(badge)</h2>
            <div class="media">
            <figure class="still"><div class="frame"><img src="\(dir)/\(f.still)" loading="lazy" decoding="async" width="\(f.stillWidth)" height="\(f.stillHeight)" alt="scene \(n) still">\(layoutSVG(s))</div><figcaption>still · \(layoutText(s))</figcaption></figure>
            <figure class="clip"><div class="frame"><video data-src="\(dir)/\(f.preview)" muted loop playsinline preload="none" width="\(f.previewWidth)" height="\(f.previewHeight)"></video></div><figcaption>\(esc(card.motion)) · \(String(format: "%.2f s", clip.duration))</figcaption></figure>
            </div>
            <dl class="params">\(params)</dl>
            <div class="tune"><code>\(esc(card.reroll))</code><button type="button" class="copy" title="copy the tune file line (c)">copy</button></div>
            </article>

            """
    }

    /// The layout as rectangles over the still, in the frame's own pixels (the contact sheet's
    /// colours: green the picture, magenta overlays, cyan statics).
    static func layoutSVG(_ s: Scene) -> String {
        guard let l = s.layout else { return "" }
        func rect(_ r: PixelRect, _ cls: String) -> String {
            "<rect class=\"\(cls)\" x=\"\(r.x)\" y=\"\(r.y)\" width=\"\(r.width)\" height=\"\(r.height)\"/>"
        }
        var body = rect(l.picture, "p")
        for o in l.overlays { body += rect(o.region, "o") }
        for r in l.statics { body += rect(r, "s") }
        return "<svg class=\"layout\" viewBox=\"0 0 \(l.frameWidth) \(l.frameHeight)\" preserveAspectRatio=\"none\" aria-hidden=\"true\">\(body)</svg>"
    }

    static func layoutText(_ s: Scene) -> String {
        guard let l = s.layout else { return "no layout" }
        let full = l.picture == PixelRect(x: 0, y: 0, width: l.frameWidth, height: l.frameHeight)
        var parts = [full ? "picture: the whole frame" : "picture \(l.picture.width)×\(l.picture.height) at \(l.picture.x),\(l.picture.y)"]
        if l.background != .none { parts.append("background \(l.background.rawValue)") }
        if !l.overlays.isEmpty {
            let changes = l.overlays.reduce(0) { $0 + $1.changes.count }
            parts.append("\(l.overlays.count) overlay\(l.overlays.count == 1 ? "" : "s") (\(changes) change\(changes == 1 ? "" : "s"))")
        }
        if !l.statics.isEmpty { parts.append("\(l.statics.count) static\(l.statics.count == 1 ? "" : "s")") }
        return esc(parts.joined(separator: " · "))
    }

    /// 75.4 → "1:15.400"; an hour or more gets hours.
    static func clock(_ t: Double) -> String {
        let ms = Int((max(0, t) * 1000).rounded())
        let h = ms / 3_600_000, m = ms / 60_000 % 60, sec = ms / 1000 % 60, frac = ms % 1000
        return h > 0 ? String(format: "%d:%02d:%02d.%03d", h, m, sec, frac) : String(format: "%d:%02d.%03d", m, sec, frac)
    }

    static func esc(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for ch in s {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// A folder name as a relative URL (spaces, '#', '?' and the rest percent-encoded).
    static func urlPath(_ name: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "#?;:")
        return esc(name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name)
    }

    static let style = """
        :root{color-scheme:dark;--bg:#15171a;--card:#1f2226;--fg:#e6e6e6;--dim:#9aa0a6;--acc:#6cb6ff}
        *{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,sans-serif}
        header.top{position:sticky;top:0;z-index:2;background:#101214ee;padding:10px 18px;border-bottom:1px solid #333}
        h1{margin:0 0 6px;font-size:20px}
        dl{margin:0}dl.info{display:flex;flex-wrap:wrap;gap:4px 18px}dl.info div{display:flex;gap:6px}
        dt{color:var(--dim)}dd{margin:0}
        .keys{margin:6px 0 0;color:var(--dim);font-size:12px}kbd{background:#333;border-radius:3px;padding:0 4px;color:var(--fg)}
        .legend i{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px;border:2px solid}
        .lp{border-color:#3ddc84!important}.lo{border-color:#ff4fd8!important}.ls{border-color:#34d4f0!important}
        main{display:grid;grid-template-columns:repeat(auto-fill,minmax(680px,1fr));gap:14px;padding:14px 18px}
        .card{background:var(--card);border-radius:8px;padding:10px 12px;border:2px solid transparent;outline:none}
        .card:focus{border-color:var(--acc)}
        .card.big{grid-column:1/-1}.card.big .media video{width:min(100%,960px);height:auto}
        h2{margin:0 0 8px;font-size:15px;font-weight:600;display:flex;gap:10px;align-items:baseline}
        .num{font-size:20px;color:var(--acc)}.dur{color:var(--dim)}
        .badge{font-size:11px;border-radius:9px;padding:1px 8px}.cached{background:#2d4a2d}.generated{background:#4a3b1d}
        .media{display:flex;gap:10px;flex-wrap:wrap;align-items:flex-start}
        figure{margin:0;display:flex;flex-direction:column;align-items:flex-start}
        figcaption{color:var(--dim);font-size:12px;max-width:320px}
        .frame{position:relative;display:inline-block;line-height:0;background:#000}
        .frame img,.frame video{max-width:100%;height:auto;background:#000}
        svg.layout{position:absolute;inset:0;width:100%;height:100%;pointer-events:none}
        svg.layout rect{fill:none;stroke-width:2;vector-effect:non-scaling-stroke}
        rect.p{stroke:#3ddc84}rect.o{stroke:#ff4fd8}rect.s{stroke:#34d4f0}
        dl.params{display:flex;flex-wrap:wrap;gap:2px 14px;margin:8px 0;font-size:13px}dl.params div{display:flex;gap:5px}
        .tune{display:flex;gap:8px;align-items:center}
        .tune code{flex:1;background:#111;padding:4px 8px;border-radius:4px;font:13px ui-monospace,monospace;white-space:pre-wrap}
        button.copy{background:#2b3440;color:var(--fg);border:1px solid #445;border-radius:4px;padding:3px 10px;cursor:pointer}
        #toast{position:fixed;bottom:16px;right:16px;background:#333;padding:6px 12px;border-radius:6px;opacity:0;transition:opacity .3s}
        #toast.on{opacity:1}
        """

    /// Previews load when their card comes near the screen and unload when it leaves (500 videos
    /// at once would not play); `#check` loads everything and records load and error events on
    /// each element (data-state) and the body (data-loaded, data-failed), for tests.
    static let script = """
        (function(){
        'use strict';
        var cards=[].slice.call(document.querySelectorAll('.card'));
        var check=location.hash==='#check';
        var loaded=0,failed=0,total=0;
        function settle(el,ok){if(el.dataset.state)return;el.dataset.state=ok?'loaded':'error';if(ok)loaded++;else failed++;
          document.body.dataset.loaded=loaded;document.body.dataset.failed=failed;
          if(loaded+failed===total)document.body.dataset.done='1';}
        function load(v){if(!v.getAttribute('src')){v.src=v.dataset.src;}var p=v.play();if(p&&p.catch)p.catch(function(){});}
        function unload(v){if(v.getAttribute('src')){v.pause();v.removeAttribute('src');v.load();}}
        var videos=[].slice.call(document.querySelectorAll('video[data-src]'));
        if(check){
          var imgs=[].slice.call(document.querySelectorAll('.card img'));
          total=imgs.length+videos.length;document.body.dataset.total=total;
          imgs.forEach(function(i){i.loading='eager';if(i.complete&&i.naturalWidth)settle(i,true);else if(i.complete)settle(i,false);
            i.addEventListener('load',function(){settle(i,i.naturalWidth>0);});i.addEventListener('error',function(){settle(i,false);});});
          videos.forEach(function(v){v.preload='auto';v.addEventListener('loadeddata',function(){settle(v,v.videoWidth>0);});
            v.addEventListener('error',function(){settle(v,false);});v.src=v.dataset.src;});
        }else if('IntersectionObserver' in window){
          var io=new IntersectionObserver(function(es){es.forEach(function(e){var v=e.target;if(e.isIntersecting)load(v);else unload(v);});},{rootMargin:'300px 0px'});
          videos.forEach(function(v){io.observe(v);});
        }else{videos.forEach(load);}
        var toast=document.getElementById('toast'),timer=0;
        function say(t){toast.textContent=t;toast.className='on';clearTimeout(timer);timer=setTimeout(function(){toast.className='';},1500);}
        function copy(card){var text=card.querySelector('.tune code').textContent;
          function fallback(){var ta=document.createElement('textarea');ta.value=text;document.body.appendChild(ta);ta.select();
            var ok=false;try{ok=document.execCommand('copy');}catch(e){}ta.remove();say(ok?'copied: '+text:'select and copy: '+text);}
          if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(text).then(function(){say('copied: '+text);},fallback);}else fallback();}
        document.addEventListener('click',function(e){var b=e.target.closest&&e.target.closest('button.copy');if(b)copy(b.closest('.card'));});
        function current(){var a=document.activeElement,c=a&&a.closest?a.closest('.card'):null;return c?cards.indexOf(c):-1;}
        function go(i){if(!cards.length)return;i=Math.max(0,Math.min(cards.length-1,i));cards[i].focus({preventScroll:true});
          cards[i].scrollIntoView({block:'center'});}
        var typed='';
        document.addEventListener('keydown',function(e){if(e.ctrlKey||e.metaKey||e.altKey)return;var i=current(),k=e.key;
          if(/^[0-9]$/.test(k)){typed+=k;say('scene '+typed);return;}
          if(k==='Enter'&&typed){var t=document.getElementById('scene-'+typed);typed='';if(t)go(cards.indexOf(t));else say('no such scene');e.preventDefault();return;}
          typed='';
          if(k==='j'||k==='ArrowDown'||k==='ArrowRight'){go(i+1);e.preventDefault();}
          else if(k==='k'||k==='ArrowUp'||k==='ArrowLeft'){go(i<0?0:i-1);e.preventDefault();}
          else if(k==='g'||k==='Home'){go(0);e.preventDefault();}
          else if(k==='G'||k==='End'){go(cards.length-1);e.preventDefault();}
          else if(k==='c'&&i>=0){copy(cards[i]);}
          else if(k==='Enter'&&i>=0){cards[i].classList.toggle('big');go(i);e.preventDefault();}
        });
        if(location.hash&&location.hash!=='#check'){var t=document.querySelector(location.hash);if(t)go(cards.indexOf(t));}
        })();
        """
}
