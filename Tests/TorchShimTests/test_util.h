// test_util.h — a minimal test harness for the torch shim's C++ tests: registered test
// functions, CHECK macros that throw, one line per test, and the closing "N passed, M failed".
#pragma once

#include <ATen/ATen.h>

#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace pitest {

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Thrown to skip a test that cannot run here (no CUDA); not counted as passed or failed.
struct Skip : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Case {
    std::string name;
    std::function<std::string()> fn;  // returns a detail line ("" for none); throws on failure
};

std::vector<Case>& registry();

struct Register {
    Register(const char* name, std::function<std::string()> fn) { registry().push_back({name, std::move(fn)}); }
};

#define PI_TEST(id, name)                                  \
    static std::string id();                               \
    static ::pitest::Register id##_reg(name, id);          \
    static std::string id()

#define REQUIRE(cond)                                                                                     \
    do {                                                                                                \
        if (!(cond)) throw ::pitest::Failure(std::string(__FILE__) + ":" + std::to_string(__LINE__) +  \
                                             ": REQUIRE(" #cond ") failed");                              \
    } while (0)

#define REQUIRE_MSG(cond, msg)                                                                            \
    do {                                                                                                \
        if (!(cond)) {                                                                                  \
            std::ostringstream os_;                                                                     \
            os_ << __FILE__ << ":" << __LINE__ << ": " << msg;                                          \
            throw ::pitest::Failure(os_.str());                                                         \
        }                                                                                               \
    } while (0)

// Paths given to main: the fixture folder and a scratch folder.
struct Env {
    std::string fixture;  // Tests/Fixtures/svd-tiny
    std::string tmp;      // a fresh temporary folder
};
const Env& env();

// max |a - b| over all elements (shapes must match; both converted to float32 CPU).
double max_abs_diff(const at::Tensor& a, const at::Tensor& b);

// Checks max |a - b| <= tol and returns "name: <diff>" for the report line.
std::string expect_close(const std::string& name, const at::Tensor& got, const at::Tensor& want, double tol);

std::string fmt(double v);

}  // namespace pitest
