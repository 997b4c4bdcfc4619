// svd_bench.cpp — times the shim at full size for scripts/bench-svd-gpu: model load, CLIP
// encode, VAE encode, VAE decode, and whole generations; reports peak device memory from the
// CUDA caching allocator; writes the frames for comparison with diffusers.
//
// svd_bench --model DIR --image RGB_FILE --iw W --ih H [--width 1024 --height 576]
//           [--frames 14,25] [--steps 25] [--dtype fp16] [--device cuda] [--seed 42]
//           [--decode-chunk 0] [--components] [--out-prefix PATH] [--variant fp16] [--no-warmup]
// Prints one JSON object per line ({"what": ..., "seconds": ..., "peak_bytes": ...}).
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/DeviceAccelerator.h>
#include <c10/core/InferenceMode.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "errors.h"
#include "pipeline.h"

namespace {

struct Args {
    std::string model, image, dtype = "fp16", device = "cuda", out_prefix, variant;
    int iw = 0, ih = 0, width = 1024, height = 576, steps = 25, decode_chunk = 0;
    std::vector<int> frames{14};
    uint64_t seed = 42;
    bool components = false, warmup = true;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        std::string k = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) throw std::runtime_error("missing value for " + k);
            return argv[++i];
        };
        if (k == "--model") a.model = next();
        else if (k == "--image") a.image = next();
        else if (k == "--iw") a.iw = std::stoi(next());
        else if (k == "--ih") a.ih = std::stoi(next());
        else if (k == "--width") a.width = std::stoi(next());
        else if (k == "--height") a.height = std::stoi(next());
        else if (k == "--steps") a.steps = std::stoi(next());
        else if (k == "--dtype") a.dtype = next();
        else if (k == "--device") a.device = next();
        else if (k == "--seed") a.seed = std::stoull(next());
        else if (k == "--decode-chunk") a.decode_chunk = std::stoi(next());
        else if (k == "--components") a.components = true;
        else if (k == "--out-prefix") a.out_prefix = next();
        else if (k == "--variant") a.variant = next();
        else if (k == "--no-warmup") a.warmup = false;
        else if (k == "--frames") {
            a.frames.clear();
            std::stringstream ss(next());
            for (std::string t; std::getline(ss, t, ',');) a.frames.push_back(std::stoi(t));
        } else throw std::runtime_error("unknown argument " + k);
    }
    if (a.model.empty() || a.image.empty() || a.iw <= 0 || a.ih <= 0)
        throw std::runtime_error("usage: svd_bench --model DIR --image RGB_FILE --iw W --ih H [options]");
    return a;
}

struct Clock {
    at::Device device;
    void sync() const {
        if (device.is_cuda()) at::accelerator::synchronizeDevice(device.index() < 0 ? 0 : device.index());
    }
    void reset_peak() const {
        if (device.is_cuda()) c10::getDeviceAllocator(at::kCUDA)->resetPeakStats(device.index() < 0 ? 0 : device.index());
    }
    int64_t peak() const {
        if (!device.is_cuda()) return 0;
        auto s = c10::getDeviceAllocator(at::kCUDA)->getDeviceStats(device.index() < 0 ? 0 : device.index());
        return s.allocated_bytes[0].peak;
    }
    template <class F>
    void time(const std::string& what, F&& f) const {
        sync();
        reset_peak();
        auto t0 = std::chrono::steady_clock::now();
        f();
        sync();
        double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("{\"what\": \"%s\", \"seconds\": %.4f, \"peak_bytes\": %lld}\n", what.c_str(), s, (long long)peak());
        std::fflush(stdout);
    }
};

}  // namespace

int main(int argc, char** argv) {
    try {
        Args a = parse(argc, argv);
        std::vector<uint8_t> rgb(size_t(a.iw) * a.ih * 3);
        std::ifstream in(a.image, std::ios::binary);
        if (!in.read(reinterpret_cast<char*>(rgb.data()), std::streamsize(rgb.size())))
            throw std::runtime_error("cannot read " + std::to_string(rgb.size()) + " bytes from " + a.image);

        pi::LoadOptions lo;
        lo.device = a.device, lo.dtype = a.dtype, lo.variant = a.variant;
        std::unique_ptr<pi::SvdPipeline> p;
        Clock clock{a.device == "cpu" ? at::Device(at::kCPU) : at::Device(a.device)};
        clock.time("load", [&] { p = pi::SvdPipeline::load(a.model, lo); });
        c10::InferenceMode guard;

        if (a.components) {
            for (int rep = 0; rep < 2; ++rep) {  // the first of each is a warm-up
                const std::string sfx = rep == 0 ? " (warm-up)" : "";
                clock.time("clip_encode" + sfx, [&] { p->encode_image(rgb.data(), a.iw, a.ih, a.iw * 3); });
                at::Tensor img = at::rand({1, 3, a.height, a.width}) * 2 - 1;
                clock.time("vae_encode" + sfx, [&] { p->vae_encode(img); });
                const int f = a.frames.front();
                auto gen = at::make_generator<at::CPUGeneratorImpl>(1);
                at::Tensor z = at::randn({f, 4, a.height / 8, a.width / 8}, gen);
                const int chunk = a.decode_chunk > 0 ? a.decode_chunk : f;
                clock.time("vae_decode_" + std::to_string(f) + "f_chunk" + std::to_string(chunk) + sfx, [&] {
                    for (int i = 0; i < f; i += chunk) p->vae_decode(z.slice(0, i, std::min(f, i + chunk)), std::min(chunk, f - i));
                });
            }
            p->release_cached_memory();
        }

        pi::GenerateOptions warm;
        warm.width = a.width, warm.height = a.height, warm.frames = a.frames.front(), warm.steps = 2, warm.seed = a.seed;
        warm.decode_chunk = a.decode_chunk;
        if (a.warmup) clock.time("warmup_2_steps", [&] { p->generate(rgb.data(), a.iw, a.ih, a.iw * 3, warm); });
        for (int f : a.frames) {
            pi::GenerateOptions o = warm;
            o.frames = f, o.steps = a.steps;
            at::Tensor frames;
            p->release_cached_memory();
            clock.time("generate_" + std::to_string(f) + "f_" + std::to_string(a.steps) + "steps",
                       [&] { frames = p->generate(rgb.data(), a.iw, a.ih, a.iw * 3, o); });
            if (!a.out_prefix.empty()) {
                std::ofstream out(a.out_prefix + std::to_string(f) + ".u8", std::ios::binary);
                out.write(static_cast<const char*>(frames.data_ptr()), std::streamsize(frames.numel()));
            }
        }
        return 0;
    } catch (const pi::Error& e) {
        std::cerr << "svd_bench: " << e.what() << "\n";
    } catch (const c10::Error& e) {
        std::cerr << "svd_bench: " << e.what_without_backtrace() << "\n";
    } catch (const std::exception& e) {
        std::cerr << "svd_bench: " << e.what() << "\n";
    }
    return 1;
}
