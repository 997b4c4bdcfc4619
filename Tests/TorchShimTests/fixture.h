// fixture.h — access to Tests/Fixtures/svd-tiny for the tests: the expected tensors, the runs
// recorded by scripts/make-svd-fixture.py, and one pipeline loaded from the fixture model.
#pragma once

#include <string>

#include "json.h"
#include "pipeline.h"
#include "safetensors.h"

namespace pitest {

const pi::SafetensorsFile& expected();
at::Tensor expect_tensor(const std::string& key);  // a CPU copy
bool has_expected(const std::string& key);
const pi::Json& runs();                             // metadata "runs": {name: {seed, steps, ...}}
int fixture_width();
int fixture_height();
pi::SvdPipeline& fixture_pipeline();               // cpu fp32, loaded once
std::string model_dir();

// GenerateOptions of a recorded run (latents included when the run passed them).
pi::GenerateOptions run_options(const std::string& run);
// The input image of a run: RGB8 (H, W, 3) uint8 tensor.
at::Tensor run_input(const std::string& run);

}  // namespace pitest
