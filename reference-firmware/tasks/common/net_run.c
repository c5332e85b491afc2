#include "net_run.h"

#include "mcusim.h"
#include "nn_kernels.h"

#ifdef NET_MODEL_EXT
#include "model_ext.h" /* tasks/model: the imported model's extended layers */
#define NET_LAYER_IS_EXT(i) (model_layer_ext[(i)].kind != MODEL_EXT_NONE)
#endif

static size_t align16(size_t v) {
  return (v + 15u) & ~(size_t)15u;
}

static void conv_params(const net_layer_t* l, const net_layer_qparams_t* q, nn_conv_params_t* p) {
  p->in_h = l->in.h;
  p->in_w = l->in.w;
  p->in_c = l->in.c;
  p->out_h = l->out.h;
  p->out_w = l->out.w;
  p->out_c = l->out.c;
  p->kernel_h = l->kernel_h;
  p->kernel_w = l->kernel_w;
  p->stride_h = l->stride_h;
  p->stride_w = l->stride_w;
  p->pad_top = net_pad_top(l);
  p->pad_left = net_pad_left(l);
  p->input_offset = -q->input_zero_point;
  p->output_offset = q->output_zero_point;
  p->act_min = q->act_min;
  p->act_max = q->act_max;
}

static void fc_params(const net_layer_t* l, const net_layer_qparams_t* q, nn_fc_params_t* p) {
  p->in_len = net_shape_elems(l->in);
  p->out_len = l->out.c;
  p->input_offset = -q->input_zero_point;
  p->output_offset = q->output_zero_point;
  p->multiplier = q->multiplier[0];
  p->shift = q->shift[0];
  p->act_min = q->act_min;
  p->act_max = q->act_max;
}

static size_t layer_scratch_bytes(const net_layer_t* l, const net_layer_qparams_t* q) {
  nn_conv_params_t cp;
  nn_fc_params_t fp;
  switch (l->op) {
    case NET_OP_CONV_2D:
      conv_params(l, q, &cp);
      return nn_conv2d_s8_scratch_bytes(&cp);
    case NET_OP_DEPTHWISE_CONV_2D:
      conv_params(l, q, &cp);
      return nn_depthwise_conv2d_s8_scratch_bytes(&cp);
    case NET_OP_FULLY_CONNECTED:
      fc_params(l, q, &fp);
      return nn_fully_connected_s8_scratch_bytes(&fp);
    default:
      return 0;
  }
}

size_t net_scratch_bytes(const net_params_t* params) {
  size_t max = 0;
  for (int32_t i = 0; i < params->model->num_layers; ++i) {
#ifdef NET_MODEL_EXT
    if (NET_LAYER_IS_EXT(i)) continue; /* generic loops, no scratch */
#endif
    const size_t s = layer_scratch_bytes(&params->model->layers[i], &params->layers[i]);
    if (s > max) max = s;
  }
  return max;
}

size_t net_arena_bytes(const net_params_t* params) {
  return align16(net_scratch_bytes(params)) + params->activation_bytes;
}

static int8_t* activations(const net_params_t* params, int8_t* arena) {
  return arena + align16(net_scratch_bytes(params));
}

int8_t* net_input_tensor(const net_params_t* params, int8_t* arena) {
  return activations(params, arena) + params->input_offset;
}

int8_t* net_layer_output(const net_params_t* params, int8_t* arena, int32_t i) {
  return i == NET_INPUT ? net_input_tensor(params, arena)
                        : activations(params, arena) + params->out_offset[i];
}

void net_run_layer(const net_params_t* params, int32_t i, int8_t* arena) {
  const net_model_t* m = params->model;
  const net_layer_t* l = &m->layers[i];
  const net_layer_qparams_t* q = &params->layers[i];
  const int8_t* in = net_layer_output(params, arena, net_layer_src(m, i, 0));
  int8_t* out = net_layer_output(params, arena, i);
  void* scratch = arena; /* [0, align16(net_scratch_bytes)) */
#ifdef NET_MODEL_EXT
  if (NET_LAYER_IS_EXT(i) && net_run_layer_ext(params, i, arena)) return;
#endif
  switch (l->op) {
    case NET_OP_CONV_2D: {
      nn_conv_params_t p;
      conv_params(l, q, &p);
      nn_conv2d_s8(&p, q->multiplier, q->shift, in, q->weights, q->bias, out, scratch);
      break;
    }
    case NET_OP_DEPTHWISE_CONV_2D: {
      nn_conv_params_t p;
      conv_params(l, q, &p);
      nn_depthwise_conv2d_s8(&p, q->multiplier, q->shift, in, q->weights, q->bias, out, scratch);
      break;
    }
    case NET_OP_AVERAGE_POOL_2D: {
      nn_conv_params_t p;
      conv_params(l, q, &p);
      nn_avgpool_s8(&p, in, out);
      break;
    }
    case NET_OP_FULLY_CONNECTED: {
      nn_fc_params_t p;
      fc_params(l, q, &p);
      nn_fully_connected_s8(&p, in, q->weights, q->bias, out, scratch);
      break;
    }
    case NET_OP_SOFTMAX:
      nn_softmax_s8(in, l->out.h * l->out.w, l->out.c, q->softmax_input_multiplier,
                    q->softmax_input_left_shift, q->softmax_diff_min, out);
      break;
    case NET_OP_ADD: {
      nn_add_params_t p;
      p.length = net_shape_elems(l->out);
      p.input1_offset = -q->input_zero_point;
      p.input2_offset = -q->input2_zero_point;
      p.output_offset = q->output_zero_point;
      p.left_shift = 20; /* TFLite int8 Add */
      p.input1_multiplier = q->add_input1_multiplier;
      p.input1_shift = q->add_input1_shift;
      p.input2_multiplier = q->add_input2_multiplier;
      p.input2_shift = q->add_input2_shift;
      p.output_multiplier = q->add_output_multiplier;
      p.output_shift = q->add_output_shift;
      p.act_min = q->act_min;
      p.act_max = q->act_max;
      nn_add_s8(&p, in, net_layer_output(params, arena, net_layer_src(m, i, 1)), out);
      break;
    }
    case NET_OP_RESHAPE:
      break; /* the output aliases the input (same planned offset) */
    case NET_OP_MAX_POOL_2D: {
      nn_conv_params_t p;
      conv_params(l, q, &p);
      ref_maxpool_s8(&p, in, out);
      break;
    }
    case NET_OP_PAD: {
      ref_pad_params_t p;
      p.in_h = l->in.h;
      p.in_w = l->in.w;
      p.in_c = l->in.c;
      p.out_h = l->out.h;
      p.out_w = l->out.w;
      p.out_c = l->out.c;
      p.pad_top = l->kernel_h;
      p.pad_left = l->kernel_w;
      p.pad_channel = l->stride_h;
      p.value = (int8_t)q->input2_zero_point;
      ref_pad_s8(&p, in, out);
      break;
    }
    case NET_OP_MEAN:
      ref_mean_hw_s8(l->in.h, l->in.w, l->in.c, q->input_zero_point, q->multiplier[0], q->shift[0],
                     q->output_zero_point, in, out);
      break;
    case NET_OP_CONCATENATION: {
      const net_layer_t* l2 = l; /* shapes: in (first input), out; the second from the producer */
      const int32_t src2 = net_layer_src(m, i, 1);
      const net_shape_t in2 = src2 == NET_INPUT ? m->input_shape : m->layers[src2].out;
      int32_t outer = 1, len1 = net_shape_elems(l2->in), len2 = net_shape_elems(in2);
      if (l->kernel_h == 0) {
        outer = 1;
      } else if (l->kernel_h == 1) {
        outer = l->in.h;
        len1 = l->in.w * l->in.c;
        len2 = in2.w * in2.c;
      } else {
        outer = l->in.h * l->in.w;
        len1 = l->in.c;
        len2 = in2.c;
      }
      ref_concat_s8(outer, len1, len2, in, net_layer_output(params, arena, src2), out);
      break;
    }
  }
}

const int8_t* net_infer(const net_params_t* params, int8_t* arena) {
  const net_model_t* m = params->model;
  mcusim_roi_begin(NET_ROI_INFERENCE, "name=inference");
  for (int32_t i = 0; i < m->num_layers; ++i) {
    if (m->layers[i].op == NET_OP_RESHAPE) continue; /* same bytes, new shape */
    const uint32_t roi = NET_ROI_LAYER_BASE + (uint32_t)i;
    mcusim_roi_begin(roi, params->labels[i]);
    net_run_layer(params, i, arena);
    mcusim_roi_end(roi);
  }
  mcusim_roi_end(NET_ROI_INFERENCE);
  return net_layer_output(params, arena, m->num_layers - 1);
}
