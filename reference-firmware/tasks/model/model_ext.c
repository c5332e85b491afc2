/* Runs the extended layers of an imported model (model_ext.h) with the generic kernels of
 * kernels/reference/ext_s8.c; called by net_run_layer (tasks/common/net_run.c built with
 * NET_MODEL_EXT). Compiled with each model: only the kinds in its MODEL_EXT_KINDS
 * (model_params.h) are compiled in, so a model without extended layers links none of them. */
#include "model_ext.h"
#include "model_params.h"

#define MODEL_HAS(kind) ((MODEL_EXT_KINDS >> (kind)) & 1)

#include "net_run.h"
#include "ref_kernels.h"

#if MODEL_HAS(1) || MODEL_HAS(2)
static void conv_params(const net_layer_t* l, const net_layer_qparams_t* q,
                        const model_layer_ext_t* e, ref_conv_params_t* p) {
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
  p->pad_top = e->pad_top;
  p->pad_left = e->pad_left;
  p->input_offset = -q->input_zero_point;
  p->output_offset = q->output_zero_point;
  p->act_min = q->act_min;
  p->act_max = q->act_max;
}
#endif

int net_run_layer_ext(const net_params_t* params, int32_t i, int8_t* arena) {
  const model_layer_ext_t* e = &model_layer_ext[i];
  if (e->kind == MODEL_EXT_NONE) return 0;
  const net_model_t* m = params->model;
  const net_layer_t* l = &m->layers[i];
  const net_layer_qparams_t* q = &params->layers[i];
  int8_t* out = net_layer_output(params, arena, i);
  const int8_t* in = net_layer_output(params, arena, net_layer_src(m, i, 0));
  (void)l; /* unused when the model has none of the kinds that read them */
  (void)q;
  (void)in;
  (void)out;
  switch (e->kind) {
#if MODEL_HAS(1)
    case MODEL_EXT_CONV_2D: {
      ref_conv_params_t p;
      conv_params(l, q, e, &p);
      ref_conv2d_dilated_s8(&p, e->dilation_h, e->dilation_w, q->multiplier, q->shift, in,
                            q->weights, q->bias, out);
      break;
    }
#endif
#if MODEL_HAS(2)
    case MODEL_EXT_DEPTHWISE_CONV_2D: {
      ref_conv_params_t p;
      conv_params(l, q, e, &p);
      ref_depthwise_conv2d_ext_s8(&p, e->dilation_h, e->dilation_w, e->depth_multiplier,
                                  q->multiplier, q->shift, in, q->weights, q->bias, out);
      break;
    }
#endif
#if MODEL_HAS(3)
    case MODEL_EXT_ADD_BROADCAST: {
      ref_add_params_t p;
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
      const int8_t* in1 = e->inputs[0] == MODEL_EXT_CONST
                              ? e->constant
                              : net_layer_output(params, arena, e->inputs[0]);
      const int8_t* in2 = e->inputs[1] == MODEL_EXT_CONST
                              ? e->constant
                              : net_layer_output(params, arena, e->inputs[1]);
      ref_add_broadcast_s8(&p, e->dims, e->dims + 4, e->dims + 8, in1, in2, out);
      break;
    }
#endif
#if MODEL_HAS(4)
    case MODEL_EXT_CONCATENATION: {
      const int8_t* ins[MODEL_EXT_MAX_INPUTS];
      for (int32_t k = 0; k < e->num_inputs && k < MODEL_EXT_MAX_INPUTS; ++k) {
        ins[k] = net_layer_output(params, arena, e->inputs[k]);
      }
      ref_concat_n_s8(e->num_inputs, e->dims[0], e->dims + 1, ins, out);
      break;
    }
#endif
#if MODEL_HAS(5)
    case MODEL_EXT_MEAN:
      ref_mean_s8(e->dims, e->axis_mask, q->input_zero_point, q->multiplier[0], q->shift[0],
                  q->output_zero_point, in, out);
      break;
#endif
    default: /* MODEL_EXT_NONE (or a kind the model does not have: not generated) */
      return 0;
  }
  return 1;
}
