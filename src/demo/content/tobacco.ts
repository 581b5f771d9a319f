import { ActivityKind, CompletionKind } from '../../modules/course/content.entity';
import { courseQuiz, demoModule, page, type DemoCourse } from './types';

/** The tobacco retailer's own course (seed 000): service standardization for customer managers. */
export const TOBACCO_COURSE: DemoCourse = {
  code: 'tobacco-service-standard',
  title: { 'zh-CN': '顾客服务标准化：卷烟零售客户经理', en: 'Service Standardization for Tobacco Retail Customer Managers' },
  description: {
    'zh-CN': '认识零售客户的需求，理解客户经理的服务内涵，掌握优质服务人员的基本素质和服务质量的评价要素，并完成一次服务准备度自我评估。',
    en: "Retail customers' needs, the customer manager's role, the qualities of good service staff, how service quality is judged, and a readiness self-assessment.",
  },
  tags: ['服务标准化', '客户经理', '卷烟零售'],
  estimatedMinutes: 120,
  selfEnrollment: false,
  modules: [
    demoModule('顾客服务概述', 'Customer service overview', [
      page('顾客服务是利润的源泉', 'Service is where profit comes from', `
<p>客户之所以一次次回来，靠的不只是商品，更是被满足的需求。人的需求远不止买到东西：安全与隐私、有序而及时的服务、被认出和记住、受欢迎、感觉舒适、被理解、得到帮助、受重视、被称赞、受尊重、被信任……</p>
<p>服务做得好，这些需求就被一一照顾到，客户满意、信任并持续合作，利润也就随之而来。</p>`),
      page('卷烟零售客户的五种需求', "Five needs of tobacco retailers", `
<ol><li><strong>利润的需求</strong>：经营卷烟是为了赚钱；</li><li><strong>安全的需求</strong>：希望经营风险小，最好没有风险；</li>
<li><strong>服务的需求</strong>：渴望得到烟草商业企业的帮助；</li><li><strong>尊重的需求</strong>：希望被尊重，自身价值得到企业认可；</li>
<li><strong>成长的需求</strong>：希望生意不断发展壮大，实现自我价值。</li></ol>
<p>客户经理走访每一户时，都可以对照这五条想一想：今天我帮他满足了哪一种需求？</p>`),
      page('新形势下的服务要求', 'What service must be today', `
<p>零售客户对服务的要求可以概括为六个词：<strong>恰当、真诚、主动、贴心、有效、持久</strong>。</p>
<p>其中“恰当”具体是“四个恰当”：在恰当的<strong>时机</strong>、通过恰当的<strong>渠道</strong>、选择恰当的<strong>客户</strong>、实施恰当的<strong>服务</strong>，分别强调服务的时效性、策略性、价值性和需要性。</p>
<p>服务本身并不复杂，难的是始终如一地提供热情周到的高水平服务——“持久”往往是最难做到的一条。</p>`),
      page('硬服务与软服务', 'Hard and soft service', `
<p>按情感投入和定制化程度，服务可分为<strong>规范化服务、个性化服务和情感化服务</strong>。</p>
<ul><li><strong>硬服务</strong>是服务的固有特性：用具体指标和标准体系考核衡量，是兑现承诺、满足需求的基础工作，做好了客户觉得“理所当然”；</li>
<li><strong>软服务</strong>是附加特性：把企业文化和理念的精神价值融入服务，它能迅速提升客户的满意程度，带来“满足”甚至“惊喜”。</li></ul>`),
    ]),
    demoModule('客户经理的服务内涵', "The customer manager's role", [
      page('客户经理服务的五个特性', 'Five features of the role', `
<ol><li><strong>前台岗位的核心性</strong>：与客户接触频繁、接触面广，还承担大量后续工作；</li>
<li><strong>服务过程的传承性</strong>：在售前、售中、售后三个环节中承前启后，既做售前也做售后；</li>
<li><strong>职能发挥的调研性</strong>：研究客户、研究市场、研究服务方法、研究卷烟品牌；</li>
<li><strong>工作目标的艰巨性</strong>：提升客户对烟草公司的忠诚度、依存度和贡献度（“三度”），前提是客户对服务营销满意，这个任务主要落在客户经理身上；</li>
<li><strong>服务要求的创新性</strong>：用力干一件事只能算合格，用心做一件事才可能优秀。</li></ol>`),
      page('服务质量为什么上不去', 'Why service quality falls short', `
<p><strong>员工的“三个不”</strong>：不知道公司真正期望他们提供什么样的服务；不知道怎样做才能提供优质服务；本身并不适合做客户服务工作。</p>
<p><strong>企业的“两个没有”</strong>：没有鼓励员工的机制；对员工不够尊重，员工感到自己没有受到重视。</p>
<p>找准原因，才能对症下药：把期望讲清楚、把方法教到位、把合适的人放在合适的岗位上，并让员工感受到尊重与激励。</p>`),
    ]),
    demoModule('优质服务人员的基本素质', 'Qualities of service staff', [
      page('品格素质', 'Character', `
<ul><li>忍耐与宽容，是优秀服务人员的美德；</li><li>不轻易承诺，说到就要做到；</li><li>谦虚是做好服务的要素之一；</li>
<li>拥有博爱之心，真诚对待每一个人；</li><li>勇于承担责任；</li><li>强烈的集体荣誉感。</li></ul>`),
      page('技能素质', 'Skills', `
<ul><li>良好的语言表达能力；</li><li>丰富的行业知识和经验；</li><li>熟练的专业技能；</li><li>优雅的形体语言表达技巧；</li>
<li>思维敏捷，能洞察客户的心理活动；</li><li>良好的人际沟通能力；</li><li>专业的电话接听技巧；</li><li>良好的倾听能力。</li></ul>`),
      page('心理素质与综合素质', 'Resilience and all-round ability', `
<p><strong>心理素质</strong>：处变不惊的应变力；承受挫折打击的能力；自我掌控和调节情绪的能力；满负荷情感付出的支持能力；积极进取、永不言败的心态。</p>
<p><strong>综合素质</strong>：“客户至上”的服务观念；独立处理工作的能力；分析解决各种问题的能力；协调人际关系的能力。</p>`),
    ]),
    demoModule('顾客服务标准化', 'Standardizing service', [
      page('什么是服务质量', 'What service quality is', `
<p>服务质量，是服务满足规定或潜在需求的特征和特性的总和。它既是服务本身特性的综合，也是客户感知的反映。</p>
<p>服务质量包括两部分：<strong>技术质量</strong>（服务的结果，客户得到了什么）和<strong>感知质量</strong>（服务的过程，客户是怎样得到的）。</p>`),
      page('零售户怎样评价服务质量', 'How retailers judge service', `
<p><strong>有形要素</strong>：物理设施和设备；营销人员的外表和统一着装；有形标识，如烟草行业标识、卷烟企业标识、网络服务品牌标识等。</p>
<p><strong>可靠性</strong>：服务能否做到精确化，能否做到标准化。</p>
<p>标准化的意义就在这里：把客户看得见、感受得到的每个环节都变成可执行、可检查的规范，让每一位客户经理提供的服务都稳定可靠。</p>`),
    ]),
    demoModule('自我评估：你准备好提供优质服务了吗', 'Self-assessment: are you ready?', [
      page('评估说明', 'How the self-assessment works', `
<p>下面的问卷每题给出两种相反的描述，例如“大部分时间我都能控制自己的情绪”与“我不怎么能控制自己的情绪”。请在 10 到 1 之间选出最符合你的分数（越接近左侧描述，分数越高），最后把各题分数相加。</p>
<ul><li><strong>80 分以上</strong>：对客户来说，你是优秀的服务者；</li><li><strong>50～80 分</strong>：与人共事前，你需要学习人际关系技巧；</li>
<li><strong>50 分以下</strong>：客户服务也许不是最适合你的职业方向。</li></ul>
<p>评估没有对错，只为帮助你了解自己。</p>`),
      { kind: ActivityKind.ASSESSMENT, title: { 'zh-CN': '服务准备度自我评估', en: 'Service readiness self-assessment' }, completion: { kind: CompletionKind.VIEWED } },
      courseQuiz(),
    ]),
  ],
};
