import { courseQuiz, demoModule, page, type DemoCourse } from './types';

const personality = (signs: string, serve: string): string => `<p><strong>表现特征</strong>：${signs}</p><p><strong>应对技巧</strong>：${serve}</p>`;

/** The e-commerce company's own course (seed 003): customers and personality types. */
export const ECOMMERCE_COURSE: DemoCourse = {
  code: 'laoa-customer-types',
  title: { 'zh-CN': '认识客户：客户分类与四种性格', en: 'Understanding Customers: Classes and Four Personality Types' },
  description: {
    'zh-CN': '谁是客户、客户如何分类、四种性格的客户各有什么表现以及怎样服务他们，最后回到服务和客户服务的本质。',
    en: 'Who customers are, how to classify them, how to recognise and serve four personality types, and what service really is.',
  },
  tags: ['客户类型', '在线客服', '沟通技巧'],
  estimatedMinutes: 60,
  selfEnrollment: false,
  modules: [
    demoModule('理解客户', 'Understanding customers', [
      page('谁是客户', 'Who the customer is', `
<p>理解客户，才能理解客户服务。<strong>客户</strong>是所有接受服务或可能接受服务的人，他们既可以来自公司外部，也可以来自公司内部。</p>
<p>每个人既是客户，也是客户服务的提供者：售前组把订单交给售后组时，售后组就是售前组的“内部客户”。</p>
<p><strong>练习</strong>：列出你的外部客户和内部客户，再列出为你提供服务的人。</p>`),
      page('客户的分类', 'Classes of customers', `
<p>已经接受或正在了解公司产品和服务的客户，大致分为三类：</p>
<ul><li><strong>忠实客户</strong>：反复购买、认可品牌；</li><li><strong>临时客户</strong>：偶尔购买，随时可能流失；</li><li><strong>意向（咨询）客户</strong>：还在询问、比较，尚未下单。</li></ul>
<p>此外还可以按信用等级、对公司的贡献度等方式分类。不同类别的客户，需要投入的精力和沟通重点各不相同。</p>`),
    ]),
    demoModule('四种性格的客户', 'Four personality types', [
      page('性格分类总览', 'Overview', `
<p>按照“率直—优柔”和“理性—感性”两条轴，可以把客户大致分成四种性格：</p>
<ul><li><strong>权威型（力量型）</strong>：率直而理性；</li><li><strong>分析型（完美型）</strong>：理性而谨慎；</li>
<li><strong>合群型（老好人型）</strong>：感性而优柔；</li><li><strong>表现型（活泼型）</strong>：感性而率直。</li></ul>
<p>在线客服看不到客户本人，但可以从用词、语气、提问方式和回复节奏中判断对方的类型，调整自己的沟通方式。</p>`),
      page('权威型客户', 'The authoritative type', personality(
        '男性偏多，年龄较成熟，往往有一定地位或财力；自信、强势，理性而直接；穿着庄重，表情严肃，说话语气重。',
        '以客户为尊，放低姿态，多向客户请教；赞美要具体有效；用“漏斗式”提问从大到小逐步聚焦；说话直奔结果，重视效果。',
      )),
      page('分析型客户', 'The analytical type', personality(
        '衣着端庄、发型精致，眼神里常带怀疑；关注每一个细节和过程，喜欢较真、爱抬杠。',
        '礼貌尊重，切忌含糊其辞或夸大；讲清细节和依据；不与客户争辩；善于总结要点，给出几个选项让客户自己比较。',
      )),
      page('合群型客户', 'The amiable type', personality(
        '衣着随意、不拘小节，性格随和、语速较慢；很有耐心但优柔寡断，常常反问，答案模糊。',
        '礼貌尊重，让自己的节奏与客户一致；真诚地赞美；有效发问、启发引导，帮客户理清想法；提供选择，帮助他下决心。',
      )),
      page('表现型客户', 'The expressive type', personality(
        '表情丰富、衣着新潮，肢体动作多，话多，感性思维。',
        '请客户多讲，及时赞美和回应；提问要快、节奏要跟上；强调产品的流行和新意；同样提供选择，方便客户决定。',
      )),
    ]),
    demoModule('服务与客户服务', 'Service and customer service', [
      page('什么是服务', 'What service is', `
<p>服务，是为他人做事并使他人从中受益的一种有偿或无偿的活动。它不以实物形式，而是以提供劳动的形式满足他人的某种需要。</p>
<ul><li>服务是<strong>无形的产品</strong>：购买之前看不见、尝不到、摸不着、听不见也闻不出；</li>
<li>服务作为产品是<strong>有价格</strong>的，因此也就有竞争；</li><li>服务不仅仅是满足用户的需要，更是追求客户满意的过程。</li></ul>`),
      page('客户服务的本质', 'The essence of customer service', `
<p>客户服务（Customer Service）是一种以客户为导向的价值观，它在预先设定的最优成本与服务组合中，整合并管理与客户接触的所有环节。广义上说，任何能提高客户满意度的内容都属于客户服务。</p>
<ul><li>提供服务的主体：企业（卖方）；接受服务的主体：客户（个人或单位，买方）；</li><li>服务的实施者：员工；服务的载体：服务产品和产品服务；</li>
<li>服务的目标：满足客户需要，提高客户满意度。</li></ul>
<p>一句话：客户服务的本质是<strong>发现需求、满足需求</strong>。</p>`),
      page('作为客服，我们可以做什么', 'What we can do', `
<p>把前面的内容落到每天的接待中：</p>
<ol><li>先判断客户属于哪一类（忠实、临时还是意向客户），再判断他的性格类型；</li><li>用对方习惯的节奏和方式沟通：对权威型讲结果，对分析型讲细节，对合群型多引导，对表现型多回应；</li>
<li>始终从“发现需求、满足需求”出发，而不是只回答被问到的问题；</li><li>别忘了内部客户：把信息完整、及时地交给下一个环节的同事。</li></ol>`),
      courseQuiz(),
    ]),
  ],
};
