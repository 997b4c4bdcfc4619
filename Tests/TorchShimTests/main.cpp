// main.cpp — runs every registered test of the torch shim, one line each, and ends with
// exactly "N passed, M failed"; exits non-zero on any failure.
//
// Usage: torch_shim_tests [fixture_dir] [filter]   (fixture default: Tests/Fixtures/svd-tiny
// relative to the current folder, or $PI_SVD_FIXTURE)
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "test_util.h"

namespace pitest {

std::vector<Case>& registry() {
    static std::vector<Case> r;
    return r;
}

static Env g_env;
const Env& env() { return g_env; }

double max_abs_diff(const at::Tensor& a, const at::Tensor& b) {
    at::Tensor x = a.detach().to(at::kCPU).to(at::kDouble), y = b.detach().to(at::kCPU).to(at::kDouble);
    if (x.sizes() != y.sizes()) {
        std::ostringstream os;
        os << "shape " << x.sizes() << " differs from expected " << y.sizes();
        throw Failure(os.str());
    }
    if (x.numel() == 0) return 0;
    return (x - y).abs().max().item<double>();
}

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2e", v);
    return buf;
}

std::string expect_close(const std::string& name, const at::Tensor& got, const at::Tensor& want, double tol) {
    double d = max_abs_diff(got, want);
    if (!(d <= tol)) throw Failure(name + ": max abs diff " + fmt(d) + " > " + fmt(tol));
    return name + " " + fmt(d);
}

}  // namespace pitest

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    using namespace pitest;
    std::string fixture = argc > 1 ? argv[1] : (std::getenv("PI_SVD_FIXTURE") ? std::getenv("PI_SVD_FIXTURE") : "Tests/Fixtures/svd-tiny");
    const std::string filter = argc > 2 ? argv[2] : "";
    if (!fs::is_directory(fixture + "/model")) {
        std::cerr << "torch_shim_tests: no fixture at '" << fixture << "' (expected " << fixture << "/model)\n";
        std::cout << "0 passed, 1 failed\n";
        return 1;
    }
    char tmpl[] = "/tmp/torch-shim-tests-XXXXXX";
    if (!mkdtemp(tmpl)) {
        std::perror("mkdtemp");
        return 1;
    }
    g_env.fixture = fs::absolute(fixture).string();
    g_env.tmp = tmpl;

    int passed = 0, failed = 0;
    for (const auto& c : registry()) {
        if (!filter.empty() && c.name.find(filter) == std::string::npos) continue;
        auto t0 = std::chrono::steady_clock::now();
        std::string detail, error;
        try {
            detail = c.fn();
        } catch (const Skip& e) {
            std::cout << "SKIP " << c.name << ": " << e.what() << std::endl;
            continue;
        } catch (const std::exception& e) {
            error = e.what();
        } catch (...) {
            error = "unknown exception";
        }
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char tbuf[32];
        std::snprintf(tbuf, sizeof tbuf, "%.1fs", secs);
        if (error.empty()) {
            ++passed;
            std::cout << "PASS " << c.name << " (" << tbuf << ")" << (detail.empty() ? "" : ": " + detail) << std::endl;
        } else {
            ++failed;
            std::cout << "FAIL " << c.name << " (" << tbuf << "): " << error << std::endl;
        }
    }
    std::error_code ec;
    fs::remove_all(g_env.tmp, ec);
    std::cout << passed << " passed, " << failed << " failed" << std::endl;
    return failed == 0 ? 0 : 1;
}
