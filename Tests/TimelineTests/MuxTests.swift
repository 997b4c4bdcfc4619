import Foundation
import Media
import Testing
@testable import Timeline

@Suite struct MuxTests {
    @Test func stillWithAACAudioIsCopiedPacketForPacket() throws {
        let src = try TestMedia.video("aac.mp4", seconds: 3)
        let image = Image(width: 160, height: 90, red: 200, green: 100, blue: 50)
        let out = TestMedia.path("still-aac.mp4")
        let r = try Renderer.mux(StillClip(image: image, seconds: 3, fps: Rational(25)), audioFrom: src, to: out)
        #expect(r.audioCopied)
        let v = try #require(try TestMedia.stream(out, "video"))
        let a = try #require(try TestMedia.stream(out, "audio"))
        #expect(v["codec_name"] as? String == "h264")
        #expect(v["pix_fmt"] as? String == "yuv420p")
        #expect(v["width"] as? Int == 160 && v["height"] as? Int == 90)
        #expect(v["avg_frame_rate"] as? String == "25/1")
        #expect(a["codec_name"] as? String == "aac")
        let vd = TestMedia.double(v["duration"]), ad = TestMedia.double(a["duration"])
        #expect(abs(vd - ad) < 0.010, "video \(vd) s, audio \(ad) s")
        #expect(try TestMedia.audioPackets(out) == TestMedia.audioPackets(src))
    }
}
