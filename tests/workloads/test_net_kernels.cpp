// Every network run by the firmware's own driver (reference-firmware/tasks/common/net_run.c) and
// the linked kernel library (NN_LIBRARY: reference or optimized), compiled for the host, against
// the independent host reference (workloads/net/net_reference.cpp), bit for bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ad_params.h"  // the generated <task>_params.c, host copies
#include "ic_params.h"
#include "kws_params.h"
#include "net_generator.h"
#include "net_reference.h"
#include "net_run.h"
#include "nn_kernels.h"
#include "vww_params.h"

namespace {

using mcusim::net::CView;
using mcusim::net::GenerateParams;
using mcusim::net::NetParams;
using mcusim::net::ReferenceForward;

const net_params_t* GeneratedC(const std::string& task) {
  if (task == "kws") return &kws_params;
  if (task == "vww") return &vww_params;
  if (task == "ic") return &ic_params;
  if (task == "ad") return &ad_params;
  return nullptr;
}

class NetKernels : public ::testing::TestWithParam<const net_model_t*> {};

TEST(NetKernelsLibrary, IsTheOneUnderTest) {
  EXPECT_STREQ(nn_library_name(), NN_LIBRARY);
}

// Each layer fed with the reference's own inputs for that layer (placed where the arena plan puts
// them), so a mismatch is pinned to the layer that causes it.
void CheckLayerByLayer(const NetParams& params) {
  const net_model_t& m = *params.model;
  const auto ref = ReferenceForward(params);
  CView view;
  mcusim::net::MakeCView(params, &view);
  std::vector<int8_t> arena(net_arena_bytes(&view.c), 0x55);
  auto place = [&](int32_t t) {
    const std::vector<int8_t>& v = t == NET_INPUT ? params.input : ref[t];
    std::copy(v.begin(), v.end(), net_layer_output(&view.c, arena.data(), t));
  };
  for (int32_t i = 0; i < m.num_layers; ++i) {
    place(net_layer_src(&m, i, 0));
    if (net_layer_src(&m, i, 1) != NET_NONE) place(net_layer_src(&m, i, 1));
    net_run_layer(&view.c, i, arena.data());
    const int8_t* out = net_layer_output(&view.c, arena.data(), i);
    ASSERT_EQ(std::vector<int8_t>(out, out + ref[i].size()), ref[i])
        << m.task << " layer " << i << " " << m.layers[i].name << " seed 0x" << std::hex
        << params.seed;
  }
}

TEST_P(NetKernels, LayerByLayerMatchReference) {
  CheckLayerByLayer(GenerateParams(*GetParam()));
}

TEST_P(NetKernels, LayerByLayerMatchReferenceOtherSeed) {
  CheckLayerByLayer(GenerateParams(*GetParam(), 0xdeadbeefull));
}

// The firmware's whole inference (net_infer over the generated <task>_params.c) equals the host
// reference's output, and the output is not degenerate.
TEST_P(NetKernels, FirmwareDriverMatchesReferenceOutput) {
  const net_model_t& m = *GetParam();
  const net_params_t* c = GeneratedC(m.task);
  ASSERT_NE(c, nullptr);
  std::vector<int8_t> arena(net_arena_bytes(c), 0x55);
  const int32_t n_in = net_shape_elems(m.input_shape);
  std::copy(c->input, c->input + n_in, net_input_tensor(c, arena.data()));
  const int8_t* out = net_infer(c, arena.data());
  const std::vector<int8_t> fw(out, out + net_output_elems(&m));
  const std::vector<int8_t> ref = mcusim::net::ReferenceOutput(m);
  ASSERT_EQ(ref.size(), static_cast<size_t>(net_output_elems(&m)));
  EXPECT_EQ(fw, ref);
  EXPECT_NE(*std::max_element(ref.begin(), ref.end()), *std::min_element(ref.begin(), ref.end()));
  std::string line = std::string(m.model_id) + " scores:";
  for (size_t i = 0; i < std::min<size_t>(fw.size(), 16); ++i) {
    line += ' ';
    line += std::to_string(fw[i]);
  }
  std::printf("%s%s (%s, arena %zu B)\n", line.c_str(), fw.size() > 16 ? " ..." : "",
              nn_library_name(), net_arena_bytes(c));
}

// The generated C file carries exactly the generator's in-memory parameters and plan.
TEST_P(NetKernels, GeneratedCMatchesInMemoryParams) {
  const net_model_t& m = *GetParam();
  const net_params_t* c = GeneratedC(m.task);
  const NetParams p = GenerateParams(m);
  CView v;
  mcusim::net::MakeCView(p, &v);
  ASSERT_STREQ(c->model->task, m.task);
  EXPECT_EQ(c->model->num_layers, m.num_layers);
  const int32_t n_in = net_shape_elems(m.input_shape);
  EXPECT_EQ(std::vector<int8_t>(c->input, c->input + n_in), p.input);
  EXPECT_EQ(c->input_offset, v.c.input_offset);
  EXPECT_EQ(c->activation_bytes, v.c.activation_bytes);
  for (int32_t i = 0; i < m.num_layers; ++i) {
    const net_layer_qparams_t& a = c->layers[i];
    const net_layer_qparams_t& b = v.layers[i];
    EXPECT_EQ(c->out_offset[i], v.c.out_offset[i]) << i;
    EXPECT_STREQ(c->labels[i], v.labels[i]) << i;
    // Scalar fields: everything after the four pointers.
    const size_t off = offsetof(net_layer_qparams_t, input_zero_point);
    EXPECT_EQ(std::memcmp(reinterpret_cast<const char*>(&a) + off,
                          reinterpret_cast<const char*>(&b) + off, sizeof a - off),
              0)
        << m.task << " layer " << i;
    ASSERT_EQ(a.weights != nullptr, b.weights != nullptr) << i;
    if (!a.weights) continue;
    const auto& q = p.layers[i];
    const size_t nq = static_cast<size_t>(net_layer_quant_channels(&m.layers[i]));
    EXPECT_EQ(std::vector<int8_t>(a.weights, a.weights + q.weights.size()), q.weights) << i;
    EXPECT_EQ(std::vector<int32_t>(a.bias, a.bias + q.bias.size()), q.bias) << i;
    EXPECT_EQ(std::vector<int32_t>(a.multiplier, a.multiplier + nq), q.multiplier) << i;
    EXPECT_EQ(std::vector<int32_t>(a.shift, a.shift + nq), q.shift) << i;
  }
}

std::string Name(const ::testing::TestParamInfo<const net_model_t*>& info) {
  return info.param->task;
}

INSTANTIATE_TEST_SUITE_P(AllTasks, NetKernels, ::testing::ValuesIn(mcusim::net::AllModels()),
                         Name);

}  // namespace
